#!/usr/bin/env node
// Adds UI messages to both languages at once: node scripts/add-messages.mjs file.json
// where file.json is {"key": ["中文", "English"], …}. Existing keys are replaced in place.
import { readFileSync, writeFileSync } from 'node:fs';

const add = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const [i, lang] of [[0, 'zh-CN'], [1, 'en']]) {
	const path = new URL(`../src/lib/i18n/messages/${lang}.json`, import.meta.url);
	const messages = JSON.parse(readFileSync(path, 'utf8'));
	for (const [key, texts] of Object.entries(add)) messages[key] = texts[i];
	writeFileSync(path, JSON.stringify(messages, null, '\t') + '\n');
}
console.log(`${Object.keys(add).length} messages added`);
