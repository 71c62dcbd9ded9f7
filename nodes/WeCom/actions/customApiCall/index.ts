import { customApiCallResource } from '../../../shared/actions/customApiCall';
import * as call from './call.operation';

export const customApiCall = customApiCallResource(
	'Any WeCom API endpoint: the token is refreshed for you and errcodes become errors',
	call,
);
