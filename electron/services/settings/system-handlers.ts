/** StudioApi handlers for the host and settings calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { systemCalls } from '../../../shared/contract/system';
import type { SettingsStore } from './settings-store';

export type SystemDeps = {
  host: 'electron' | 'browser';
  version: string;
  dataDir: string;
  settings: SettingsStore;
  requestMediaAccess: (kind: 'microphone' | 'camera') => Promise<boolean>;
};

export function systemHandlers(deps: SystemDeps): Pick<StudioHandlers, keyof typeof systemCalls> {
  return {
    'system/info': async () => ({
      appName: 'Twin Studio',
      version: deps.version,
      host: deps.host,
      platform: process.platform,
      dataDir: deps.dataDir,
    }),
    'system/requestMediaAccess': async ({ kinds }) => {
      const denied: string[] = [];
      for (const kind of kinds) if (!(await deps.requestMediaAccess(kind))) denied.push(kind);
      if (denied.length === 0) return { granted: true, message: null };
      return {
        granted: false,
        message: `The system denied access to the ${denied.join(' and ')}. Allow Twin Studio in your system's privacy settings, then try again.`,
      };
    },
    'settings/get': () => deps.settings.get(),
    'settings/update': ({ patch }) => deps.settings.update(patch),
  };
}
