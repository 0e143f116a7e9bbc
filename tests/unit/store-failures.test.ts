import { MongoBulkWriteError, MongoNetworkError, MongoServerError } from 'mongodb';
import { isPermanentStoreError, isStoreUnavailable } from '../../store/failures';

describe('what a store error means for a write', () => {
  it('waits for a store whose connection dropped under a bulk write', () => {
    // The driver wraps the network error of an unordered bulk write; the bulk error carries no code of its own.
    const dropped = new MongoBulkWriteError(new MongoNetworkError('connection 26 to 127.0.0.1:34041 closed'), {} as never);
    expect(isStoreUnavailable(dropped)).toBe(true);
    expect(isPermanentStoreError(dropped)).toBe(false);
  });

  it('waits for FerretDB while PostgreSQL restarts', () => {
    const restarting = new MongoServerError({ message: 'failed to connect to `host=127.0.0.1`: (SQLSTATE 57P03)', code: 1 });
    expect(isStoreUnavailable(restarting)).toBe(true);
  });

  it('refuses for good what the database cannot hold, and does not wait for it', () => {
    const nul = new MongoServerError({ message: 'ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)', code: 1 });
    expect(isPermanentStoreError(nul)).toBe(true);
    expect(isStoreUnavailable(nul)).toBe(false);
  });

  it('does not take an unexplained server error for an outage', () => {
    expect(isStoreUnavailable(new MongoServerError({ message: 'something else', code: 8000 }))).toBe(false);
    expect(isStoreUnavailable(new Error('connection 1 to x closed'))).toBe(false);
  });
});
