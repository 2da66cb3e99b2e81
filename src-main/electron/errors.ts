/** A start-up failure whose message is already a sentence for the person at the desk; shown as it is. */
export class StartupError extends Error {}
