import { createCustomApiCallOperation } from '../../../shared/actions/customApiCall';
import { dingTalk } from '../../transport';

export const { option, description, writes, prepare, execute } = createCustomApiCallOperation(
	dingTalk,
	'/topapi/v2/user/get',
);
