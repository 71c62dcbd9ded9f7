import { robotSendOperation } from '../../../shared/robot/sendOperation';
import { weComRobot } from '../../platform/robot';
import { ROBOT_MESSAGE_TYPES } from './message';

export const { option, description, writes, appQuota, concurrency, prepare, execute } =
	robotSendOperation(weComRobot, ROBOT_MESSAGE_TYPES, {
		description: 'Post a message to a WeCom group through its robot (群机器人)',
	});
