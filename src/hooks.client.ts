import { defineCustomClientStrategy } from '$lib/paraglide/runtime';

// The user's saved language is applied on the server (it sets the locale cookie); in the browser the cookie decides.
defineCustomClientStrategy('custom-user', { getLocale: () => undefined, setLocale: () => {} });
