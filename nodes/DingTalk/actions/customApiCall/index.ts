import { customApiCallResource } from '../../../shared/actions/customApiCall';
import * as call from './call.operation';

export const customApiCall = customApiCallResource(
	'Any DingTalk API endpoint, old (oapi) or new (v1.0): the token is refreshed for you and errcodes become errors',
	call,
);
