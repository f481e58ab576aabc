export { escapeHtml, markdownCell } from './cell.js';
export { Limits, fits, measure, type TextLimit } from './limits.js';
export { sanitizeMarkdown, type MarkdownPolicy, type Sanitized } from './sanitizeMarkdown.js';
export { sanitizePlain } from './sanitizePlain.js';
export { TRUNCATION_NOTE, truncateMarkdown } from './truncateMarkdown.js';
export { truncatePlain } from './truncatePlain.js';
export { checkUrl, normalizeDomains, type UrlVerdict } from './url.js';
