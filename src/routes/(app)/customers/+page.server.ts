import { listPage } from '$lib/server/route';
import { listCustomers } from '$lib/server/services/customers';

export const load = listPage(listCustomers);
