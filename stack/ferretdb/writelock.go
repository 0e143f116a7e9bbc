package main

// FerretDB v1 applies an update by reading the matching documents and then writing new versions in a
// separate step, so two concurrent updates of one document lose one of them (measured here: 50
// concurrent $inc → 26; a version-checked update "succeeding" 4 times). MongoDB makes every
// single-document write atomic, and the product relies on that. This front end restores it: it
// forwards the wire protocol unchanged and lets only one write command per collection run at a time.

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

const (
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	maxMessageSize = 48 * 1024 * 1024
)

// writeCommands change documents; everything else passes through without waiting.
var writeCommands = map[string]bool{"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true}

type writeLock struct {
	upstreamNetwork, upstreamAddress string
	logger                           *slog.Logger
	mu                               sync.Mutex
	collections                      map[string]*sync.Mutex
	stats                            *commandStats // nil unless profiling
}

// commandStats counts commands and their time by command and collection, for profiling the local stack.
type commandStats struct {
	mu    sync.Mutex
	count map[string]int
	total map[string]time.Duration
}

func (s *commandStats) add(key string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count[key]++
	s.total[key] += d
}

func (s *commandStats) report(logger *slog.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key, n := range s.count {
		logger.Warn("command stats", "command", key, "count", n, "total_ms", s.total[key].Milliseconds(), "mean_ms", float64(s.total[key].Microseconds())/float64(n)/1000)
	}
}

func (w *writeLock) serve(listener net.Listener) error {
	for {
		client, err := listener.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go w.relay(client)
	}
}

func (w *writeLock) relay(client net.Conn) {
	defer client.Close()
	upstream, err := net.Dial(w.upstreamNetwork, w.upstreamAddress)
	if err != nil {
		w.logger.Error("cannot reach FerretDB", "error", err)
		return
	}
	defer upstream.Close()

	// Drivers send one request at a time per connection and wait for its reply, so a request and its
	// reply(ies) can be relayed in lockstep while the collection's lock is held.
	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		command, collection, moreToCome := inspect(request)
		unlock := func() {}
		if writeCommands[command] {
			lock := w.lockFor(collection)
			lock.Lock()
			unlock = lock.Unlock
		}
		started := time.Now()
		err = w.exchange(upstream, client, request, moreToCome)
		unlock()
		if w.stats != nil {
			w.stats.add(command+" "+collection, time.Since(started))
		}
		if err != nil {
			return
		}
	}
}

func (w *writeLock) exchange(upstream, client net.Conn, request []byte, moreToCome bool) error {
	if _, err := upstream.Write(request); err != nil {
		return err
	}
	if moreToCome {
		return nil
	}
	for {
		reply, err := readMessage(upstream)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if _, _, more := inspect(reply); !more {
			return nil
		}
	}
}

func (w *writeLock) lockFor(collection string) *sync.Mutex {
	w.mu.Lock()
	defer w.mu.Unlock()
	lock, ok := w.collections[collection]
	if !ok {
		lock = new(sync.Mutex)
		w.collections[collection] = lock
	}
	return lock
}

func readMessage(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	size := binary.LittleEndian.Uint32(header[:])
	if size < 16 || size > maxMessageSize {
		return nil, errors.New("malformed message length")
	}
	message := make([]byte, size)
	copy(message, header[:])
	if _, err := io.ReadFull(r, message[4:]); err != nil {
		return nil, err
	}
	return message, nil
}

// inspect reads an OP_MSG's command name (the body's first key), the collection it names (that key's
// string value) and its moreToCome flag. Other opcodes and anything unexpected yield empty names.
func inspect(message []byte) (command, collection string, moreToCome bool) {
	if len(message) < 21 || binary.LittleEndian.Uint32(message[12:16]) != opMsg {
		return "", "", false
	}
	flags := binary.LittleEndian.Uint32(message[16:20])
	moreToCome = flags&flagMoreToCome != 0
	for at := 20; at < len(message); {
		kind := message[at]
		at++
		if at+4 > len(message) {
			return "", "", moreToCome
		}
		size := int(binary.LittleEndian.Uint32(message[at : at+4]))
		if size < 5 || at+size > len(message) {
			return "", "", moreToCome
		}
		if kind == 0 {
			command, collection = firstElement(message[at : at+size])
			return command, collection, moreToCome
		}
		at += size // a document sequence (kind 1): its size covers the whole section
	}
	return "", "", moreToCome
}

func firstElement(doc []byte) (name, value string) {
	if len(doc) < 6 {
		return "", ""
	}
	kind := doc[4]
	end := 5
	for end < len(doc) && doc[end] != 0 {
		end++
	}
	if end >= len(doc) {
		return "", ""
	}
	name = string(doc[5:end])
	if kind != 0x02 || end+5 > len(doc) { // only string values name a collection
		return name, ""
	}
	length := int(binary.LittleEndian.Uint32(doc[end+1 : end+5]))
	if length < 1 || end+5+length > len(doc) {
		return name, ""
	}
	return name, string(doc[end+5 : end+5+length-1])
}
