/**
 * The Electron main process: the app's lifecycle, its one window and its security settings. All
 * the work happens in host-agnostic services built by `createStudio`; this file only wires them
 * to Electron.
 */
import path from 'node:path';
import { BrowserWindow, Menu, Notification, app, ipcMain, protocol, screen, session, shell, systemPreferences } from 'electron';
import { ipcChannels } from '../shared/transport';
import { bindStudioIpc } from './ipc';
import { appOrigin, isExternalLinkAllowed, isNavigationAllowed, isPermissionAllowed } from './security/policy';
import { createLogger } from './services/log';
import { fitToDisplays, loadWindowState, saveWindowState } from './services/window-state';
import { appSchemePrivileges, handleAppProtocol } from './shell/app-protocol';
import { buildApplicationMenu } from './shell/menu';
import { type Studio, createStudio } from './studio/compose';
import { createQuitGate } from './studio/shutdown';

const log = createLogger('main');
// Must happen before `ready`: a standard, secure scheme is what makes getUserMedia and media playback work.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

function lockDownContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLinkAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function applyPermissionPolicy(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionAllowed({ permission, requestingUrl: details.requestingUrl, mediaTypes }));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed({ permission, requestingUrl: requestingOrigin }));
  ses.setDevicePermissionHandler(() => false);
}

async function createMainWindow(dataDir: string): Promise<void> {
  const saved = fitToDisplays(
    await loadWindowState(dataDir),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  mainWindow = new BrowserWindow({
    ...saved,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Twin Studio',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', () => {
    if (!mainWindow) return;
    const bounds = mainWindow.getNormalBounds();
    void saveWindowState(dataDir, { ...bounds, maximized: mainWindow.isMaximized() }).catch((error: unknown) =>
      log.warn('could not save the window state', error),
    );
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await mainWindow.loadURL(`${appOrigin}/index.html`);
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const studio: Studio = await createStudio({
    host: 'electron',
    dataDir,
    version: app.getVersion(),
    log: log.child('studio'),
    emit: (name, payload) => mainWindow?.webContents.send(ipcChannels.event, name, payload),
    systemTrash: (target) => shell.trashItem(target),
    notify: (title, body) => new Notification({ title, body }).show(),
    requestMediaAccess: async (kind) => (process.platform === 'darwin' ? systemPreferences.askForMediaAccess(kind) : true),
  });
  // Quitting (menu, last window, SIGTERM) closes the studio the same way the browser host does.
  const quitGate = createQuitGate({ close: () => studio.close(), log, exit: (code) => app.exit(code) });
  app.on('before-quit', (event) => quitGate(() => event.preventDefault()));
  handleAppProtocol(protocol, studio, path.join(__dirname, '..', 'renderer'));
  applyPermissionPolicy();
  bindStudioIpc({ ipcMain, dispatch: studio.dispatch, log: log.child('ipc') });
  Menu.setApplicationMenu(buildApplicationMenu(app.getName()));
  await createMainWindow(dataDir);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createMainWindow(dataDir);
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  lockDownContents();
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('could not start', error);
      app.exit(1);
    });
}
