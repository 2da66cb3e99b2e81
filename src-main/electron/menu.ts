import { app, type BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';

function showAbout(getWindow: () => BrowserWindow | null): void {
  const options = {
    type: 'info' as const,
    title: 'About Asclepia',
    message: `Asclepia ${app.getVersion()}`,
    detail: `Offline-first clinic management.\n\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node.js ${process.versions.node}.`,
    buttons: ['OK'],
  };
  const window = getWindow();
  void (window && !window.isDestroyed() ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}

/** DevTools appear only in development: packaged windows are also created with devTools disabled. */
export function applicationMenu(getWindow: () => BrowserWindow | null, development: boolean): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    // macOS puts Quit, Hide and Services under a menu named after the app; other systems have none.
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [{ role: 'quit' }] },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(development ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Help', role: 'help', submenu: [{ label: 'About Asclepia', click: () => showAbout(getWindow) }] },
  ];
  return Menu.buildFromTemplate(template);
}
