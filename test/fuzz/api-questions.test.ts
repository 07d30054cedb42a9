import { API_ROUTES, apiTargets } from './api-targets.js';
import { fuzzEndpoints } from './fuzz-endpoints.js';

fuzzEndpoints(apiTargets, API_ROUTES.questions);
