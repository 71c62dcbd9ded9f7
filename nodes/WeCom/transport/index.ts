import { weComProfile } from '../platform/profile';
import { createPlatformTransport } from '../../shared/transport/platformTransport';

/** WeCom through the shared client: `weCom.request(this, { method, path, body }, i)`. */
export const weCom = createPlatformTransport(weComProfile);
