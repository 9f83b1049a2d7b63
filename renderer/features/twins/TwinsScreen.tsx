/** The organisation's twins on the service, with their generation status. */
import { Notice } from '../../ui/Notice';
import { Screen } from '../../ui/Screen';

export function TwinsScreen() {
  return (
    <Screen title="Twins" intro="The digital twins of your organisation, and how far each one’s generation has come.">
      <Notice tone="info" title="The twins list is not available in this build yet">
        It needs the service client and an API key, which arrive with the Settings work.
      </Notice>
    </Screen>
  );
}
