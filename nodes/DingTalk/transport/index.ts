import { dingTalkProfile } from '../platform/profile';
import { createPlatformTransport } from '../../shared/transport/platformTransport';

/** DingTalk through the shared client: `dingTalk.request(this, { family: 'oapi', path, body }, i)`. */
export const dingTalk = createPlatformTransport(dingTalkProfile);
