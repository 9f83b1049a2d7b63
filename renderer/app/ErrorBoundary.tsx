/**
 * The last line of defence of the page: a part of it that throws while it renders (or in one of its
 * effects) is replaced by a plain message and a Reload button. Without it React unmounts the whole
 * tree and leaves a blank window, the sidebar and the way out with it.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Notice } from '../ui/Notice';

type Props = { children: ReactNode };
type State = { failed: boolean };

/**
 * Shows its children, or, once one of them has thrown, a plain message and a Reload button (a
 * reload keeps the route: the person comes back to the same screen, drawn afresh). What was thrown
 * goes to the console, not on the page.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The message on the page is for the person; the stack is for whoever reads the console.
    console.error('A part of the studio failed and was replaced by a message:', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="pad" data-testid="error-boundary">
        <Notice tone="error" title="This part of the studio stopped working">
          <p>It ran into a problem it did not expect. What the studio has saved is kept: reload the page to carry on from here.</p>
          <p>
            <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          </p>
        </Notice>
      </div>
    );
  }
}
