// A single-page app: rendered in the browser only, from the API's data; nothing is prerendered.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
