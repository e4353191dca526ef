import { Testing } from 'cdktf';
// Types of cdktf's matchers (toHaveResourceWithProperties, ...) for the type-check.
import 'cdktf/lib/testing/adapters/jest';

// cdktf's matchers for every test file.
Testing.setupJest();
