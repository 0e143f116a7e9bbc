// Failure messages and stack traces travel inside an encoded payload instead of as plain text in the history, so
// the payload codec encrypts them too (a store error's message may quote what a person wrote). Loaded by path:
// the worker bundles it into the workflow code (platform/payload-codec.ts, FAILURE_CONVERTER_PATH).
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
