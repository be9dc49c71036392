import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and committed; they run at start-up on both drivers.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle'
});
