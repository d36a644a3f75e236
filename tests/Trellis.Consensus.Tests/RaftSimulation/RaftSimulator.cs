using System.Buffers.Binary;
using Trellis.Consensus.Raft;
using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Tests.RaftSimulation;

/// <summary>
/// A deterministic discrete-event simulation of a Raft cluster: virtual time, one seeded RNG for everything (delays,
/// drops, duplicates, reordering, partitions, crashes, election timeouts, client behaviour), replicas driven only
/// through <see cref="RaftReplica.Tick"/>, <see cref="RaftReplica.Receive"/> and <see cref="RaftReplica.Propose"/>.
/// Every message goes through <see cref="RaftMessageCodec"/>. Each server plays the engine's part: it applies
/// committed entries to a durable chain (its "block store"), proposes pooled transactions when its replica may, and
/// catches up by copying committed entries from the leader when told to. The same options give the same run.
/// Membership may change with the block height (non-empty entries), as the engine's registry does: each server
/// gives its replica the configuration of its next entry, the set of the block after the last block in its log.
/// </summary>
internal sealed class RaftSimulator
{
    private const long TickInterval = 10;

    private readonly RaftSimulationOptions _options;
    private readonly RaftOptions _replicaOptions;
    private readonly Random _random;
    private readonly Server[] _servers;
    private readonly PriorityQueue<Event, (long, long)> _queue = new();
    private readonly List<Applied> _committed = [];
    private readonly Dictionary<long, int> _leaders = [];
    private readonly HashSet<ulong> _accepted = [];
    private readonly HashSet<ulong> _committedAnywhere = [];
    private readonly RaftSimulationResult _result;
    private long _sequence;
    private long _now;
    private int[]? _partition;
    private int _isolated = -1;
    private bool _healed;

    private RaftSimulator(RaftSimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _replicaOptions = new RaftOptions { ElectionTimeout = options.ElectionTimeout, HeartbeatInterval = options.ElectionTimeout / 6, MaxEntriesPerMessage = 4, RetainedAppliedEntries = options.RetainedAppliedEntries, OneProposalInFlight = true, PreVote = options.PreVote, CheckQuorum = options.CheckQuorum };
        _result = new RaftSimulationResult { Options = options };
        _servers = new Server[options.Servers];
        for (int i = 0; i < _servers.Length; i++)
        {
            _servers[i] = new Server(i);
        }
    }

    public static RaftSimulationResult Run(RaftSimulationOptions options)
    {
        var simulator = new RaftSimulator(options);
        try
        {
            simulator.Execute();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException or KeyNotFoundException)
        {
            simulator._result.Violations.Add($"t={simulator._now}: a replica threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }

        simulator.Finish();
        return simulator._result;
    }

    private void Execute()
    {
        foreach (var server in _servers)
        {
            StartReplica(server);
        }

        Schedule(TickInterval, new Event(EventKind.Tick));
        for (int i = 0; i < _options.Transactions; i++)
        {
            Schedule(_random.NextInt64(0, _options.FaultPhase), new Event(EventKind.Submit, Tx: (ulong)(i + 1)));
        }

        ScheduleFaults();
        if (_options.IsolateServer is not null)
        {
            Schedule(_options.IsolateFrom, new Event(EventKind.IsolateStart));
            Schedule(_options.IsolateUntil, new Event(EventKind.IsolateEnd));
        }

        Schedule(_options.FaultPhase, new Event(EventKind.Heal));
        long end = _options.FaultPhase + _options.LivenessBudget;
        long nextLivenessCheck = _options.FaultPhase;
        while (_queue.TryDequeue(out var next, out var priority))
        {
            _now = priority.Item1;
            if (_now > end || _result.Violations.Count > 0)
            {
                break;
            }

            Handle(next);
            if (_healed && _now >= nextLivenessCheck)
            {
                nextLivenessCheck = _now + 250;
                if (AllAcceptedCommitted())
                {
                    break;
                }
            }
        }
    }

    private void ScheduleFaults()
    {
        if (_options.Partitions)
        {
            for (long t = _random.NextInt64(0, 600); t < _options.FaultPhase; t += 400 + _random.NextInt64(0, 1200))
            {
                Schedule(t, new Event(EventKind.PartitionStart));
                Schedule(Math.Min(t + 100 + _random.NextInt64(0, 800), _options.FaultPhase), new Event(EventKind.PartitionEnd));
            }
        }

        if (_options.Crashes)
        {
            int crashes = 1 + _random.Next(_options.Servers);
            for (int i = 0; i < crashes; i++)
            {
                int server = _random.Next(_options.Servers);
                long at = _random.NextInt64(0, _options.FaultPhase);
                Schedule(at, new Event(EventKind.Crash, Server: server));
                Schedule(Math.Min(at + 50 + _random.NextInt64(0, 1000), _options.FaultPhase), new Event(EventKind.Restart, Server: server));
            }
        }

        for (int i = 0; i < _options.LeaderCrashes; i++)
        {
            Schedule(_random.NextInt64(0, _options.FaultPhase), new Event(EventKind.CrashLeader));
        }
    }

    private void Crash(Server server, long downtime)
    {
        if (server.Replica is null || _healed)
        {
            return;
        }

        // Memory is lost (replica, pool, sync in progress); the raft storage and the applied chain stay.
        server.Replica = null;
        server.Pool.Clear();
        server.Syncing = false;
        _result.Crashes++;
        Schedule(Math.Min(_now + downtime, _options.FaultPhase), new Event(EventKind.Restart, Server: server.Index));
    }

    private void Handle(Event e)
    {
        switch (e.Kind)
        {
            case EventKind.Tick:
                foreach (var server in _servers)
                {
                    if (server.Replica is not null)
                    {
                        Process(server, server.Replica.Tick(_now));
                    }
                }

                Schedule(_now + TickInterval, new Event(EventKind.Tick));
                break;
            case EventKind.Deliver:
                var target = _servers[e.Server];
                if (target.Replica is not null)
                {
                    if (!RaftMessageCodec.TryDecode(e.Bytes, out var message, out string? error))
                    {
                        _result.Violations.Add($"t={_now}: server {e.Server} cannot decode a message from {e.From}: {error}");
                        return;
                    }

                    Process(target, target.Replica.Receive(e.From, message!, _now));
                    if (!_healed && _options.CrashAfterMessageRate > 0 && _random.NextDouble() < _options.CrashAfterMessageRate)
                    {
                        Crash(target, 1 + _random.NextInt64(0, _random.Next(2) == 0 ? 40 : 400));
                    }
                }

                break;
            case EventKind.Submit:
                SubmitTransaction(e.Tx);
                break;
            case EventKind.Retry:
                if (!_committedAnywhere.Contains(e.Tx))
                {
                    SubmitTransaction(e.Tx);
                }

                break;
            case EventKind.Gossip:
                var receiver = _servers[e.Server];
                if (receiver.Replica is not null && !receiver.CommittedTxs.Contains(e.Tx))
                {
                    receiver.Pool.Add(e.Tx);
                    TryPropose(receiver);
                }

                break;
            case EventKind.PartitionStart:
                _partition = [.. Enumerable.Range(0, _servers.Length).Select(_ => _random.Next(2))];
                break;
            case EventKind.PartitionEnd:
                _partition = null;
                break;
            case EventKind.IsolateStart:
                _isolated = _options.IsolateServer!.Value;
                if (_isolated < 0)
                {
                    bool leader = _isolated == -2;
                    _isolated = Array.FindIndex(_servers, s => (s.Replica?.Role == RaftRole.Leader) == leader);
                }

                _result.IsolatedServer = _isolated;
                break;
            case EventKind.IsolateEnd:
                _isolated = -1;
                _result.TermAtRejoin = _result.HighestTerm;
                break;
            case EventKind.Crash:
                if (_servers[e.Server].Replica is not null && !_healed)
                {
                    // Memory is lost (replica, pool, sync in progress); the raft storage and the applied chain stay.
                    _servers[e.Server].Replica = null;
                    _servers[e.Server].Pool.Clear();
                    _servers[e.Server].Syncing = false;
                    _result.Crashes++;
                }

                break;
            case EventKind.CrashLeader:
                foreach (var server in _servers)
                {
                    if (server.Replica?.Role == RaftRole.Leader)
                    {
                        Crash(server, 20 + _random.NextInt64(0, 600));
                    }
                }

                break;
            case EventKind.Restart:
                if (_servers[e.Server].Replica is null)
                {
                    StartReplica(_servers[e.Server]);
                }

                break;
            case EventKind.Heal:
                _healed = true;
                _partition = null;
                foreach (var server in _servers)
                {
                    if (server.Replica is null)
                    {
                        StartReplica(server);
                    }
                }

                break;
            case EventKind.SyncDone:
                FinishSync(_servers[e.Server], e.CatchUp!);
                break;
        }
    }

    private void StartReplica(Server server)
    {
        var replica = new RaftReplica(server.Index, _servers.Length, _replicaOptions, server.Storage, new Random(_random.Next()), ConfigurationFor(server.Blocks + 1));
        if (replica.AppliedIndex != server.MarkedApplied)
        {
            _result.Violations.Add($"t={_now}: server {server.Index} restarted at applied index {replica.AppliedIndex}, but had marked {server.MarkedApplied} applied before crashing");
        }

        if (replica.AppliedIndex > server.Chain.Count)
        {
            _result.Violations.Add($"t={_now}: server {server.Index} restarted with applied index {replica.AppliedIndex} beyond its chain of {server.Chain.Count}");
        }

        replica.ApplicationHeight = (ulong)server.Chain.Count;
        server.Replica = replica;
        Configure(server);
        Process(server, replica.Start(_now));
    }

    private void SubmitTransaction(ulong tx)
    {
        Schedule(_now + _options.ClientRetryInterval, new Event(EventKind.Retry, Tx: tx));
        var server = _servers[_random.Next(_servers.Length)];
        if (server.Replica is null || server.CommittedTxs.Contains(tx))
        {
            return;
        }

        _accepted.Add(tx);
        server.Pool.Add(tx);

        // The node gossips every transaction it accepts to the validators (best effort, through the faulty network).
        foreach (var other in _servers)
        {
            if (other != server && Reaches(server.Index, other.Index) && (_healed || _random.NextDouble() >= _options.DropRate))
            {
                Schedule(_now + Delay(), new Event(EventKind.Gossip, Server: other.Index, Tx: tx));
            }
        }

        TryPropose(server);
    }

    private void Process(Server server, RaftOutput output)
    {
        var replica = server.Replica!;
        Apply(server, output.Committed);
        if (output.CatchUp is not null)
        {
            StartSync(server, output.CatchUp);
        }

        foreach (var outgoing in output.Messages)
        {
            Send(server.Index, outgoing.To, outgoing.Message);
        }

        ObserveLeadership(server);
        _result.HighestTerm = Math.Max(_result.HighestTerm, replica.CurrentTerm);
        Configure(server);
        TryPropose(server);
    }

    // The set of block h: the last server joins at AddLastServerAtHeight, the first leaves at RemoveFirstServerAtHeight.
    private List<int> VotersAt(long height)
    {
        var voters = new List<int>(_servers.Length);
        for (int i = 0; i < _servers.Length; i++)
        {
            bool added = i != _servers.Length - 1 || _options.AddLastServerAtHeight == 0 || height >= _options.AddLastServerAtHeight;
            bool removed = i == 0 && _options.RemoveFirstServerAtHeight != 0 && height >= _options.RemoveFirstServerAtHeight;
            if (added && !removed)
            {
                voters.Add(i);
            }
        }

        return voters;
    }

    private RaftConfiguration ConfigurationFor(long height)
    {
        List<int> voters = VotersAt(height);
        if (height >= 2)
        {
            List<int> previous = VotersAt(height - 1);
            if (voters.Count(v => !previous.Contains(v)) + previous.Count(v => !voters.Contains(v)) > 1)
            {
                return new RaftConfiguration(voters, previous);
            }
        }

        return new RaftConfiguration(voters);
    }

    // As the engine: the configuration of the next entry is the set of the block after the last block in the log.
    private void Configure(Server server)
    {
        var replica = server.Replica;
        if (replica is null)
        {
            return;
        }

        long next = server.Blocks + 1;
        for (long index = replica.LastLogIndex; index > replica.AppliedIndex; index--)
        {
            if (replica.TryGetEntry(index, out var entry) && !entry.Payload.IsEmpty)
            {
                next++;
                break;
            }
        }

        replica.SetConfiguration(ConfigurationFor(next));
    }

    private void TryPropose(Server server)
    {
        var replica = server.Replica;
        if (replica is null || !replica.CanPropose || server.Pool.Count == 0)
        {
            return;
        }

        var txs = new List<ulong>();
        foreach (ulong tx in server.Pool)
        {
            if (!server.CommittedTxs.Contains(tx))
            {
                txs.Add(tx);
                if (txs.Count == _options.MaxTransactionsPerEntry)
                {
                    break;
                }
            }
        }

        if (txs.Count == 0)
        {
            return;
        }

        var output = new RaftOutput();
        replica.Propose(Encode(txs), _now, output);
        Process(server, output);
    }

    private void Apply(Server server, List<RaftEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        foreach (var entry in entries)
        {
            var applied = new Applied(entry.Index, entry.Term, entry.Payload.ToArray());
            if (entry.Index <= server.Chain.Count)
            {
                // Already applied (by sync, or before a restart): it must be the same entry.
                if (!server.Chain[(int)entry.Index - 1].SameAs(applied))
                {
                    _result.Violations.Add($"t={_now}: AGREEMENT server {server.Index} reports {applied} committed but applied {server.Chain[(int)entry.Index - 1]} at that index");
                }

                continue;
            }

            if (entry.Index != server.Chain.Count + 1)
            {
                _result.Violations.Add($"t={_now}: server {server.Index} reports {applied} committed after applying only {server.Chain.Count}: a gap");
                return;
            }

            Commit(server, applied);
        }

        server.Replica!.MarkApplied(entries[^1].Index);
        server.MarkedApplied = server.Replica.AppliedIndex;
        server.Replica.ApplicationHeight = (ulong)server.Chain.Count;
    }

    private void Commit(Server server, Applied applied)
    {
        int position = (int)applied.Index - 1;
        if (position < _committed.Count)
        {
            if (!_committed[position].SameAs(applied))
            {
                _result.Violations.Add($"t={_now}: AGREEMENT server {server.Index} committed {applied}, another server committed {_committed[position]}");
            }
        }
        else
        {
            _committed.Add(applied);
        }

        server.Chain.Add(applied);
        if (applied.Payload.Length > 0)
        {
            server.Blocks++;
        }

        foreach (ulong tx in Decode(applied.Payload))
        {
            if (!server.CommittedTxs.Add(tx))
            {
                _result.Violations.Add($"t={_now}: server {server.Index} committed transaction {tx} twice (again in {applied})");
            }

            server.Pool.Remove(tx);
            _committedAnywhere.Add(tx);
        }
    }

    private void StartSync(Server server, RaftCatchUp catchUp)
    {
        if (server.Syncing)
        {
            return;
        }

        server.Syncing = true;
        _result.CatchUps++;

        // Block sync is a request and a response through the same network.
        Schedule(_now + Delay() + Delay(), new Event(EventKind.SyncDone, Server: server.Index, CatchUp: catchUp));
    }

    private void FinishSync(Server server, RaftCatchUp catchUp)
    {
        if (!server.Syncing || server.Replica is null)
        {
            return;
        }

        server.Syncing = false;
        var source = _servers[catchUp.Leader];
        if (source.Replica is null || !Reaches(catchUp.Leader, server.Index) || (!_healed && _random.NextDouble() < _options.DropRate))
        {
            return; // the fetch failed; the leader's next notice starts another
        }

        // Blocks from the peer's block store: only committed entries live there.
        int target = (int)Math.Min((long)catchUp.LeaderHeight, source.Chain.Count);
        while (server.Chain.Count < target)
        {
            Commit(server, source.Chain[server.Chain.Count]);
        }

        if (server.Chain.Count >= catchUp.SnapshotIndex)
        {
            server.Replica.InstallSnapshot(catchUp.SnapshotIndex, catchUp.SnapshotTerm);
            server.MarkedApplied = server.Replica.AppliedIndex;
        }

        server.Replica.ApplicationHeight = (ulong)server.Chain.Count;
        Configure(server);
        TryPropose(server);
    }

    private void ObserveLeadership(Server server)
    {
        var replica = server.Replica!;
        if (replica.Role != RaftRole.Leader)
        {
            // Check-quorum: a leader of this term that is a follower now without having seen a higher term.
            if (server.Index == _isolated && _leaders.TryGetValue(replica.CurrentTerm, out int led) && led == server.Index)
            {
                _result.IsolatedLeaderSteppedDown = true;
            }

            return;
        }

        long term = replica.CurrentTerm;
        if (_leaders.TryGetValue(term, out int leader))
        {
            if (leader != server.Index)
            {
                _result.Violations.Add($"t={_now}: ELECTION SAFETY servers {leader} and {server.Index} both lead term {term}");
            }

            return;
        }

        _leaders[term] = server.Index;
        _result.Elections++;
        if (_options.IsolateServer is not null && _now >= _options.IsolateUntil)
        {
            _result.ElectionsAfterRejoin++;
        }

        // Leader Completeness (§5.4): a new leader's log holds every entry committed so far.
        for (int i = 0; i < _committed.Count; i++)
        {
            long index = i + 1;
            if (index <= replica.AppliedIndex)
            {
                continue; // applied entries were checked against the agreed ones when applied
            }

            if (!replica.TryGetEntry(index, out var entry) || entry.Term != _committed[i].Term || !entry.Payload.Span.SequenceEqual(_committed[i].Payload))
            {
                _result.Violations.Add($"t={_now}: LEADER COMPLETENESS server {server.Index} leads term {term} without committed {_committed[i]}");
                return;
            }
        }
    }

    private void Send(int from, int to, RaftMessage message)
    {
        _result.MessagesSent++;
        byte[] bytes = RaftMessageCodec.Encode(message);
        if (!Reaches(from, to) || (!_healed && _random.NextDouble() < _options.DropRate))
        {
            return;
        }

        Schedule(_now + Delay(), new Event(EventKind.Deliver, Server: to, From: from, Bytes: bytes));
        if (!_healed && _random.NextDouble() < _options.DuplicateRate)
        {
            Schedule(_now + Delay(), new Event(EventKind.Deliver, Server: to, From: from, Bytes: bytes));
        }
    }

    private bool Reaches(int from, int to) =>
        (_partition is null || _partition[from] == _partition[to]) && (_isolated < 0 || (from != _isolated && to != _isolated));

    private long Delay() => _random.NextInt64(_options.MinDelay, _options.MaxDelay + 1);

    private void Schedule(long at, Event e) => _queue.Enqueue(e, (at, _sequence++));

    // A server removed for good is sent nothing more, so liveness is asked of the final set only.
    private IEnumerable<Server> FinalVoters() => _servers.Where(s => VotersAt(long.MaxValue).Contains(s.Index));

    private bool AllAcceptedCommitted()
    {
        foreach (var server in FinalVoters())
        {
            foreach (ulong tx in _accepted)
            {
                if (!server.CommittedTxs.Contains(tx))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private void Finish()
    {
        _result.EndTime = _now;
        _result.AcceptedTransactions = _accepted.Count;
        _result.MinApplied = _servers.Min(s => s.Chain.Count);
        _result.MaxApplied = _servers.Max(s => s.Chain.Count);
        _result.MaxBlocks = _servers.Max(s => s.Blocks);
        if (_result.Violations.Count == 0 && !AllAcceptedCommitted())
        {
            foreach (var server in FinalVoters())
            {
                int missing = _accepted.Count(tx => !server.CommittedTxs.Contains(tx));
                if (missing > 0)
                {
                    var replica = server.Replica;
                    _result.Violations.Add($"LIVENESS server {server.Index} had not committed {missing} of {_accepted.Count} accepted transactions {_options.LivenessBudget}ms after healing (applied {server.Chain.Count}, role {replica?.Role}, term {replica?.CurrentTerm}, leader {replica?.Leader}, commit {replica?.CommitIndex}, last log {replica?.LastLogIndex}, last rejection: {replica?.LastRejection})");
                }
            }
        }

        // Nothing committed is lost: every server's chain is a prefix of the agreed sequence.
        foreach (var server in _servers)
        {
            for (int i = 0; i < server.Chain.Count; i++)
            {
                if (i >= _committed.Count || !_committed[i].SameAs(server.Chain[i]))
                {
                    _result.Violations.Add($"server {server.Index} holds {server.Chain[i]} at index {i + 1}, not the agreed entry");
                    break;
                }
            }
        }
    }

    internal static byte[] Encode(List<ulong> txs)
    {
        var payload = new byte[txs.Count * 8];
        for (int i = 0; i < txs.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(i * 8), txs[i]);
        }

        return payload;
    }

    private static List<ulong> Decode(byte[] payload)
    {
        var txs = new List<ulong>(payload.Length / 8);
        for (int at = 0; at + 8 <= payload.Length; at += 8)
        {
            txs.Add(BinaryPrimitives.ReadUInt64BigEndian(payload.AsSpan(at)));
        }

        return txs;
    }

    private enum EventKind
    {
        Tick,
        Deliver,
        Submit,
        Retry,
        Gossip,
        PartitionStart,
        PartitionEnd,
        Crash,
        CrashLeader,
        Restart,
        Heal,
        SyncDone,
        IsolateStart,
        IsolateEnd,
    }

    private sealed record Event(EventKind Kind, int Server = 0, int From = 0, byte[]? Bytes = null, ulong Tx = 0, RaftCatchUp? CatchUp = null);

    private sealed record Applied(long Index, long Term, byte[] Payload)
    {
        public bool SameAs(Applied other) => Index == other.Index && Term == other.Term && Payload.AsSpan().SequenceEqual(other.Payload);

        public override string ToString() => $"entry {Index} (term {Term}, {Payload.Length / 8} txs)";
    }

    private sealed class Server(int index)
    {
        public int Index { get; } = index;

        public RaftReplica? Replica { get; set; }

        public InMemoryRaftStorage Storage { get; } = new();

        /// <summary>Applied entries in index order, durable across crashes (the block store).</summary>
        public List<Applied> Chain { get; } = [];

        public HashSet<ulong> CommittedTxs { get; } = [];

        public SortedSet<ulong> Pool { get; } = [];

        public long MarkedApplied { get; set; }

        /// <summary>Non-empty entries applied: the block height.</summary>
        public long Blocks { get; set; }

        public bool Syncing { get; set; }
    }
}
