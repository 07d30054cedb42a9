import { fuzzEndpoints } from './fuzz-endpoints.js';
import { tipFormTargets } from './tip-form-targets.js';

fuzzEndpoints(tipFormTargets, ['POST /to-giac', 'POST /to-giac/ma', 'POST /to-giac/ma/tra-loi']);
