/**
 * Where the studio is: hash routes (they work the same under `app://studio` and the browser host,
 * and survive a reload) and the names of a draft's steps. Every screen may link anywhere through these.
 */
import { useEffect, useState } from 'react';
import { type Step, steps } from '../../shared/progress';

/** A draft's steps as the step bar and the library name them. */
export const stepLabels: Record<Step, string> = {
  person: 'Person',
  voice: 'Voice',
  camera: 'Camera',
  review: 'Review',
  submit: 'Submit',
};

export type Route =
  { screen: 'home' } | { screen: 'draft'; draftId: string; step: Step } | { screen: 'twins' } | { screen: 'library' } | { screen: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'twins') return { screen: 'twins' };
  if (parts[0] === 'library') return { screen: 'library' };
  if (parts[0] === 'settings') return { screen: 'settings' };
  if (parts[0] === 'draft' && parts[1]) {
    const step = (steps as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as Step) : 'person';
    return { screen: 'draft', draftId: parts[1], step };
  }
  return { screen: 'home' };
}

export function routeHref(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '#/';
    case 'twins':
      return '#/twins';
    case 'library':
      return '#/library';
    case 'settings':
      return '#/settings';
    case 'draft':
      return `#/draft/${route.draftId}/${route.step}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
