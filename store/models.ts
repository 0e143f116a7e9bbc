// MongoDB collections of the product, as Mongoose models bound to one connection.
// Only features FerretDB v1 supports are used (SPEC §18): plain and unique compound indexes, no TTL or partial ones.
import { Schema, type Connection } from 'mongoose';
import { CHANNELS, IMPACTS, PRIORITIES, STATUSES, URGENCIES, type Ticket } from '../domain/ticket';
import type { TimelineEvent } from '../domain/timeline';

export type TicketDocument = Omit<Ticket, 'id'> & { _id: string };
export type TimelineDocument = TimelineEvent & { _id: string };

const { Mixed } = Schema.Types;

const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    status: { type: String, enum: STATUSES, required: true },
    priority: { type: String, enum: PRIORITIES, required: true },
    impact: { type: String, enum: IMPACTS, required: true },
    urgency: { type: String, enum: URGENCIES, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    productLine: { type: String, required: true },
    module: { type: String, default: null },
    problemType: { type: String, required: true },
    fields: { type: Mixed, default: {} },
    attachments: { type: Mixed, default: [] },
    requester: { type: Mixed, required: true },
    assignment: { type: Mixed, required: true },
    tier: { type: Number, required: true },
    collaborators: { type: [String], default: [] },
    sla: { type: Mixed, required: true },
    suggestions: { type: Mixed, default: [] },
    reopenCount: { type: Number, default: 0 },
    resolution: { type: Mixed, default: null },
    csat: { type: Mixed, default: null },
    createdAt: { type: String, required: true },
    updatedAt: { type: String, required: true },
    closedAt: { type: String, default: null },
    version: { type: Number, required: true },
  },
  { collection: 'tickets', versionKey: false, minimize: false, strict: 'throw' },
);
ticketSchema.index({ 'requester.id': 1, createdAt: -1 });
ticketSchema.index({ 'assignment.group': 1, createdAt: -1 });
ticketSchema.index({ status: 1, createdAt: -1 });

const timelineSchema = new Schema<TimelineDocument>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: String, required: true },
    type: { type: String, required: true },
    actor: { type: Mixed, required: true },
    visibility: { type: String, enum: ['public', 'internal'], required: true },
    data: { type: Mixed, default: {} },
  },
  { collection: 'timeline', versionKey: false, minimize: false, strict: 'throw' },
);
timelineSchema.index({ ticketId: 1, seq: 1 }, { unique: true });

export function bindModels(connection: Connection) {
  return {
    Ticket: connection.model<TicketDocument>('Ticket', ticketSchema),
    Timeline: connection.model<TimelineDocument>('Timeline', timelineSchema),
  };
}

export type Models = ReturnType<typeof bindModels>;
