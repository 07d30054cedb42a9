import { fuzzEndpoints } from './fuzz-endpoints.js';
import { webhookTargets } from './webhook-targets.js';

fuzzEndpoints(webhookTargets, ['POST /webhooks/zalo', 'POST /webhooks/zalo-oa', 'POST /webhooks/telegram']);
