export type { Redaction, Redactor, Scanner, SecretFinding } from './types.js';
export { createRedactor, defaultBudgetMs, UNSCANNABLE, type RedactorOptions } from './createRedactor.js';
export { secretVariants, MIN_KNOWN_SECRET_LENGTH } from './secretVariants.js';
