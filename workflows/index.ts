// The worker bundles this module: it exports every workflow type the task queue serves.
export { ticketWorkflow } from './ticket';
export { erasureWorkflow, retentionWorkflow } from './privacy';
