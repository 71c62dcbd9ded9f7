// Every node and credential class of the pack, for programmatic use and tests. n8n itself loads
// the files listed in package.json → n8n.
export { DingTalk } from './nodes/DingTalk/DingTalk.node';
export { DingTalkStreamTrigger } from './nodes/DingTalk/DingTalkStreamTrigger.node';
export { DingTalkTrigger } from './nodes/DingTalk/DingTalkTrigger.node';
export { WeCom } from './nodes/WeCom/WeCom.node';
export { WeComTrigger } from './nodes/WeCom/WeComTrigger.node';
export { DingTalkApi } from './credentials/DingTalkApi.credentials';
export { DingTalkCallbackApi } from './credentials/DingTalkCallbackApi.credentials';
export { DingTalkRobotApi } from './credentials/DingTalkRobotApi.credentials';
export { WeComApi } from './credentials/WeComApi.credentials';
export { WeComCallbackApi } from './credentials/WeComCallbackApi.credentials';
export { WeComRobotApi } from './credentials/WeComRobotApi.credentials';
