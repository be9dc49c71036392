import { listEndpoint } from '$lib/server/route';
import { listCustomers } from '$lib/server/services/customers';

export const GET = listEndpoint(listCustomers);
