import { Testing } from 'cdktf';

// cdktf's matchers (toHaveResourceWithProperties, ...) for every test file.
Testing.setupJest();
