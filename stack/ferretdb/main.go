// Command ferretdb serves the MongoDB wire protocol on top of PostgreSQL for the local stack.
// FerretDB's own command panics when go-installed, so we embed its library instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address for MongoDB clients")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL connection string")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitWithParent := flag.Bool("exit-with-parent", false, "stop when the process that started us is gone")
	profile := flag.Duration("profile-every", 0, "log command counts and times by collection at this interval (0: never)")
	indexEvery := flag.Duration("containment-indexes-every", 5*time.Second, "how often to add GIN indexes for pushed-down filters (0: never)")
	flag.Parse()

	if *postgresURL == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: --postgresql-url is required")
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *exitWithParent {
		ctx = watchParent(ctx)
	}

	// FerretDB itself listens on a private socket; clients reach it through the write lock (writelock.go).
	dir, err := os.MkdirTemp("", "ferretdb-")
	if err != nil {
		logger.Error("cannot create a socket directory", "error", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "ferretdb.sock")

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{Unix: socket},
		Handler:       "postgresql", // never sqlite: it scans whole collections
		PostgreSQLURL: *postgresURL,
		Logger:        logger,
	})
	if err != nil {
		logger.Error("cannot start", "error", err)
		os.Exit(1)
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		logger.Error("cannot listen", "address", *listen, "error", err)
		os.Exit(1)
	}
	front := &writeLock{upstreamNetwork: "unix", upstreamAddress: socket, logger: logger, collections: map[string]*sync.Mutex{}}
	if *profile > 0 {
		front.stats = &commandStats{count: map[string]int{}, total: map[string]time.Duration{}}
		go func() {
			for range time.Tick(*profile) {
				front.stats.report(logger)
			}
		}()
	}
	go func() {
		<-ctx.Done()
		listener.Close()
	}()
	go func() {
		if err := front.serve(listener); err != nil {
			logger.Error("front end stopped", "error", err)
			stop()
		}
	}()

	if *indexEvery > 0 {
		go maintainContainmentIndexes(ctx, *postgresURL, *indexEvery, logger)
	}

	logger.Info("listening", "address", *listen)
	if front.stats != nil {
		defer front.stats.report(logger)
	}
	if err := f.Run(ctx); err != nil {
		logger.Error("stopped", "error", err)
		os.Exit(1)
	}
}

// watchParent cancels the context once our parent exits, so a killed launcher leaves no orphan.
func watchParent(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	ppid := os.Getppid()
	go func() {
		for range time.Tick(time.Second) {
			if os.Getppid() != ppid {
				cancel()
				return
			}
		}
	}()
	return ctx
}
