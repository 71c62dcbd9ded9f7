import { createCustomApiCallOperation } from '../../../shared/actions/customApiCall';
import { weCom } from '../../transport';

export const { option, description, writes, prepare, execute } = createCustomApiCallOperation(
	weCom,
	'/cgi-bin/user/get',
);
