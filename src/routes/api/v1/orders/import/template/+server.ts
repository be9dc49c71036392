import { fileEndpoint } from '$lib/server/file-endpoint';
import { paramsOf } from '$lib/server/services/list';
import { importTemplate } from '$lib/server/services/order-import-template';

/** The import template: `?format=xlsx|csv&lang=zh-CN|en`. */
export const GET = fileEndpoint((ctx, { url }) => importTemplate(ctx, paramsOf(url)));
