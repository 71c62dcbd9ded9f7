import { robotSendOperation } from '../../../shared/robot/sendOperation';
import { dingTalkRobot } from '../../platform/robot';
import { mentionPickerFields, mentionPickerSwitch, ROBOT_MESSAGE_TYPES } from './message';

export const { option, description, writes, appQuota, concurrency, prepare, execute } =
	robotSendOperation(dingTalkRobot, ROBOT_MESSAGE_TYPES, {
		description: 'Post a message to a DingTalk group through its custom robot (自定义机器人)',
		leadingFields: [mentionPickerSwitch],
		fields: mentionPickerFields,
	});
