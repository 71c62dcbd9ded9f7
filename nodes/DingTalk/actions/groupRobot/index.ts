import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const groupRobot: ResourceModule = {
	resource: {
		name: 'Group Robot',
		value: 'groupRobot',
		description:
			"Messages to a group through its custom robot (群机器人), with the robot's own credential",
	},
	operations,
};
