/** The application menu: the platform's usual roles, so copy, paste, zoom and quit behave as expected. */
import { Menu, type MenuItemConstructorOptions, shell } from 'electron';

export function buildApplicationMenu(appName: string): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: appName, role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Napster companion API documentation',
          click: () => void shell.openExternal('https://companion-api.napster.com/docs'),
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
