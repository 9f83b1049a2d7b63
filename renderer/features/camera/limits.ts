/** The video take's length limits as the duration meter wants them, from the requirement table. */
import { videoRules } from '../../../shared/requirements';

export const videoDurationLimits = {
  minMs: videoRules.minSeconds * 1000,
  maxMs: videoRules.maxSeconds * 1000,
  warnBeforeMaxMs: videoRules.warnBeforeMaxSeconds * 1000,
};
