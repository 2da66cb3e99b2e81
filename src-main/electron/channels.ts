/** The only IPC channels between the window and main; the preload bundles this file, so it stays dependency-free. */
export const INVOKE_CHANNEL = 'asclepia:invoke';
export const TABLES_CHANNEL = 'asclepia:tables';
