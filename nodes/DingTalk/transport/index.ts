import { dingTalkProfile } from '../../shared/platforms/dingtalk';
import { createPlatformTransport } from '../../shared/transport/platformTransport';

/** DingTalk through the shared client: `dingTalk.request(this, { family: 'oapi', path, body }, i)`. */
export const dingTalk = createPlatformTransport(dingTalkProfile);
