using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Consensus.Tests.HotStuff;
using Trellis.Core;

namespace Trellis.Consensus.Tests.Simulation;

/// <summary>
/// A deterministic discrete-event simulation of a HotStuff network: virtual time, one seeded RNG for everything
/// (delays, drops, duplicates, reordering, partitions, crashes, Byzantine choices, transaction arrival), replicas
/// driven only through <see cref="HotStuffReplica.Receive"/> and <see cref="HotStuffReplica.Tick"/>. The same
/// options give the same run, so a failing seed reproduces exactly.
/// </summary>
internal sealed class Simulator
{
    private const long TickInterval = 10;
    private static readonly HotStuffOptions ReplicaOptions = new() { BaseTimeout = 300, MaxTimeout = 2400, FetchRetryInterval = 150 };

    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly HotStuffFixture _fixture;
    private readonly SimulatedLedger _ledger;
    private readonly Node[] _nodes;
    private readonly PriorityQueue<Event, (long, long)> _queue = new();
    private readonly Dictionary<long, Hash256> _committedAtHeight = [];
    private readonly Dictionary<Hash256, HotStuffBlock> _seenBlocks = [];
    private readonly HashSet<ulong> _accepted = [];
    private readonly SimulationResult _result;
    private long _sequence;
    private readonly ValidatorSet _validators;
    private long _now;
    private int[]? _partition;
    private bool _healed;

    private Simulator(SimulationOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
        _fixture = Fixtures.Get(options.Validators);
        _validators = options.ViewsPerLeader == 1
            ? _fixture.Validators
            : new ValidatorSet([.. _fixture.Keys.Select(_fixture.Suite.DerivePublicKey)], options.ViewsPerLeader);
        _ledger = new SimulatedLedger(_fixture.Suite);
        _result = new SimulationResult { Options = options };
        _nodes = new Node[options.Validators];
        var byzantine = Enumerable.Range(0, options.Validators).OrderBy(_ => _random.Next()).Take(options.Byzantine).ToHashSet();
        for (int i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new Node(i, byzantine.Contains(i), options.IdleWhenEmpty);
        }
    }

    public static SimulationResult Run(SimulationOptions options)
    {
        var simulator = new Simulator(options);
        try
        {
            simulator.Execute();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException or KeyNotFoundException)
        {
            simulator._result.Violations.Add($"t={simulator._now}: replica threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }

        simulator.Finish();
        return simulator._result;
    }

    private void Execute()
    {
        foreach (var node in _nodes)
        {
            StartReplica(node);
        }

        Schedule(TickInterval, new Event(EventKind.Tick));
        for (int i = 0; i < _options.Transactions; i++)
        {
            Schedule(_random.NextInt64(0, _options.FaultPhase), new Event(EventKind.SubmitTransaction, Tx: (ulong)(i + 1)));
            if (_options.SecondBurstAt > 0)
            {
                Schedule(_options.SecondBurstAt + _random.NextInt64(0, 200), new Event(EventKind.SubmitTransaction, Tx: (ulong)(_options.Transactions + i + 1)));
            }
        }

        ScheduleFaults();
        Schedule(_options.FaultPhase, new Event(EventKind.Heal));
        long end = _options.FixedDuration > 0 ? _options.FixedDuration : _options.FaultPhase + _options.LivenessBudget;
        long nextLivenessCheck = _options.FaultPhase;
        while (_queue.TryDequeue(out var next, out var priority))
        {
            _now = priority.Item1;
            if (_now > end)
            {
                break;
            }

            Handle(next);
            if (_options.FixedDuration == 0 && _healed && _now >= nextLivenessCheck && _now > _options.SecondBurstAt + 200)
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
            int crashes = 1 + _random.Next(_options.Validators);
            for (int i = 0; i < crashes; i++)
            {
                int node = _random.Next(_options.Validators);
                long at = _random.NextInt64(0, _options.FaultPhase);
                Schedule(at, new Event(EventKind.Crash, Node: node));
                Schedule(Math.Min(at + 50 + _random.NextInt64(0, 1000), _options.FaultPhase), new Event(EventKind.Restart, Node: node));
            }
        }
    }

    private void Handle(Event e)
    {
        switch (e.Kind)
        {
            case EventKind.Tick:
                foreach (var node in _nodes)
                {
                    if (node.Replica is not null)
                    {
                        Emit(node, node.Replica.Tick(_now));
                        if (node.Byzantine && (_options.Behaviour & ByzantineBehaviour.Replay) != 0 && _random.Next(20) == 0)
                        {
                            Replay(node);
                        }
                    }
                }

                Schedule(_now + TickInterval, new Event(EventKind.Tick));
                break;
            case EventKind.Deliver:
                var target = _nodes[e.Node];
                if (target.Replica is not null)
                {
                    if (target.Byzantine && target.Received.Count < 400)
                    {
                        target.Received.Add(e.Message!);
                    }

                    Emit(target, target.Replica.Receive(e.From, e.Message!, _now));
                }

                break;
            case EventKind.GossipTransaction:
                if (_nodes[e.Node].Replica is not null)
                {
                    _nodes[e.Node].Pool.Add(e.Tx);
                }

                break;
            case EventKind.SubmitTransaction:
                SubmitTransaction(e.Tx);
                break;
            case EventKind.PartitionStart:
                _partition = [.. Enumerable.Range(0, _nodes.Length).Select(_ => _random.Next(2))];
                break;
            case EventKind.PartitionEnd:
                _partition = null;
                break;
            case EventKind.Crash:
                if (_nodes[e.Node].Replica is not null && !_nodes[e.Node].Byzantine && !_healed)
                {
                    _nodes[e.Node].Replica = null;
                    _result.Crashes++;
                }

                break;
            case EventKind.Restart:
                if (_nodes[e.Node].Replica is null)
                {
                    StartReplica(_nodes[e.Node]);
                }

                break;
            case EventKind.Heal:
                _healed = true;
                _partition = null;
                foreach (var node in _nodes)
                {
                    if (node.Replica is null)
                    {
                        StartReplica(node);
                    }
                }

                break;
        }
    }

    private void StartReplica(Node node)
    {
        var replica = new HotStuffReplica(
            _fixture.Suite,
            _validators,
            node.Index,
            _fixture.Keys[node.Index],
            _fixture.Genesis,
            ReplicaOptions,
            node.Storage,
            _ledger,
            node.Pool,
            node.Chain);
        node.Replica = replica;
        // TRELLIS_SIM_TRACE=<file> appends every replica's trace (views entered, certificates formed, votes) to the file,
        // for reading a failing seed's run.
        if (Environment.GetEnvironmentVariable("TRELLIS_SIM_TRACE") is { Length: > 0 } traceFile)
        {
            replica.Trace = line => File.AppendAllText(traceFile, $"t={_now} n{node.Index} {line}\n");
        }

        Emit(node, replica.Start(_now));
    }

    private void SubmitTransaction(ulong tx)
    {
        var node = _nodes[_random.Next(_nodes.Length)];
        if (node.Replica is null)
        {
            return;
        }

        if (node.Pool.Add(tx) && !node.Byzantine)
        {
            _accepted.Add(tx);
        }

        foreach (var other in _nodes)
        {
            if (other != node && Reaches(node.Index, other.Index))
            {
                Schedule(_now + Delay(), new Event(EventKind.GossipTransaction, Node: other.Index, Tx: tx));
            }
        }
    }

    private void Emit(Node node, HotStuffOutput output)
    {
        foreach (var block in output.Committed)
        {
            RecordCommit(node, block);
        }

        foreach (var message in output.Messages)
        {
            Remember(message.Message);
            if (!node.Byzantine)
            {
                CheckHonestVote(node, message.Message);
                Send(node.Index, message.To, message.Message);
            }
            else
            {
                SendByzantine(node, message);
            }
        }
    }

    private void Remember(HotStuffMessage message)
    {
        if (message is ProposalMessage proposal)
        {
            _seenBlocks.TryAdd(proposal.Block.Hash, proposal.Block);
        }
    }

    private void Send(int from, int to, HotStuffMessage message)
    {
        if (to == OutgoingMessage.Broadcast)
        {
            for (int i = 0; i < _nodes.Length; i++)
            {
                if (i != from)
                {
                    SendOne(from, i, message);
                }
            }
        }
        else
        {
            SendOne(from, to, message);
        }
    }

    private void SendOne(int from, int to, HotStuffMessage message)
    {
        _result.MessagesSent++;
        if (_options.SecondBurstAt > 0 && _now >= _options.IdleWindowStart && _now < _options.SecondBurstAt)
        {
            _result.MessagesWhileIdle++;
        }
        string kind = message.GetType().Name;
        _result.MessagesByKind[kind] = _result.MessagesByKind.GetValueOrDefault(kind) + 1;
        if (!Reaches(from, to) || (!_healed && _random.NextDouble() < _options.DropRate))
        {
            return;
        }

        Schedule(_now + Delay(), new Event(EventKind.Deliver, Node: to, From: from, Message: message));
        if (!_healed && _random.NextDouble() < _options.DuplicateRate)
        {
            Schedule(_now + Delay(), new Event(EventKind.Deliver, Node: to, From: from, Message: message));
        }
    }

    private bool Reaches(int from, int to) => _partition is null || _partition[from] == _partition[to];

    private long Delay() => _random.NextInt64(_options.MinDelay, _options.MaxDelay + 1);

    private void Schedule(long at, Event e) => _queue.Enqueue(e, (at, _sequence++));

    private void RecordCommit(Node node, HotStuffBlock block)
    {
        if (node.Byzantine)
        {
            node.Chain.Add(block);
            return;
        }

        var tip = node.Chain[^1];
        if (block.Height != tip.Height + 1 || block.ParentHash != tip.Hash)
        {
            _result.Violations.Add($"t={_now}: node {node.Index} committed {block} on top of {tip}: committed history was lost or rewritten");
            return;
        }

        if (_committedAtHeight.TryGetValue(block.Height, out var other) && other != block.Hash)
        {
            _result.Violations.Add($"t={_now}: AGREEMENT node {node.Index} committed {block} at height {block.Height}, another honest node committed {other}");
        }

        _committedAtHeight.TryAdd(block.Height, block.Hash);
        if (!_ledger.TryExecute(tip, block.Payload, out var root, out var error) || root != block.StateRoot)
        {
            _result.Violations.Add($"t={_now}: node {node.Index} committed {block} whose execution fails or gives another state root ({error})");
        }

        node.Chain.Add(block);
        node.Pool.MarkCommitted(block);
    }

    private void CheckHonestVote(Node node, HotStuffMessage message)
    {
        if (message is VoteMessage vote)
        {
            if (node.Votes.TryGetValue(vote.View, out var earlier) && earlier != vote.BlockHash)
            {
                _result.Violations.Add($"t={_now}: honest node {node.Index} voted twice in view {vote.View}");
            }

            node.Votes[vote.View] = vote.BlockHash;
        }
    }

    private void SendByzantine(Node node, OutgoingMessage outgoing)
    {
        var behaviour = _options.Behaviour;
        var message = outgoing.Message;
        if (message is ProposalMessage proposal)
        {
            var block = proposal.Block;
            var options = new List<ByzantineBehaviour>();
            foreach (var b in new[] { ByzantineBehaviour.Equivocate, ByzantineBehaviour.InvalidProposal, ByzantineBehaviour.WrongStateRoot })
            {
                if ((behaviour & b) != 0)
                {
                    options.Add(b);
                }
            }

            if (options.Count == 0 || !_seenBlocks.TryGetValue(block.ParentHash, out var parent) && !block.ParentHash.Equals(_fixture.Genesis.Hash))
            {
                Send(node.Index, outgoing.To, message);
                return;
            }

            parent ??= _fixture.Genesis;
            switch (options[_random.Next(options.Count)])
            {
                case ByzantineBehaviour.Equivocate:
                    var otherPayload = SimulatedLedger.Encode([(ulong)_random.NextInt64(1_000_000, 2_000_000)]);
                    var twin = HotStuffBlock.Create(_fixture.Suite, parent, block.View, otherPayload, _ledger.StateRoot(parent.StateRoot, otherPayload), block.Justify);
                    var twinProposal = new ProposalMessage(twin, proposal.Tc, _fixture.SignProposal(node.Index, twin));
                    Remember(twinProposal);
                    for (int i = 0; i < _nodes.Length; i++)
                    {
                        if (i != node.Index)
                        {
                            SendOne(node.Index, i, i % 2 == 0 ? proposal : twinProposal);
                        }
                    }

                    return;
                case ByzantineBehaviour.InvalidProposal:
                    var invalid = SimulatedLedger.Encode([SimulatedLedger.InvalidMarker | 42]);
                    var bad = HotStuffBlock.Create(_fixture.Suite, parent, block.View, invalid, _ledger.StateRoot(parent.StateRoot, invalid), block.Justify);
                    Send(node.Index, outgoing.To, new ProposalMessage(bad, proposal.Tc, _fixture.SignProposal(node.Index, bad)));
                    return;
                default:
                    var wrongRoot = HotStuffBlock.Create(_fixture.Suite, parent, block.View, block.Payload.Span, _fixture.Suite.Hash(block.Hash.Bytes), block.Justify);
                    Send(node.Index, outgoing.To, new ProposalMessage(wrongRoot, proposal.Tc, _fixture.SignProposal(node.Index, wrongRoot)));
                    return;
            }
        }

        Send(node.Index, outgoing.To, message);
        if (message is VoteMessage vote)
        {
            if ((behaviour & ByzantineBehaviour.DoubleVote) != 0)
            {
                var madeUp = _fixture.Suite.Hash(vote.BlockHash.Bytes);
                Send(node.Index, outgoing.To, new VoteMessage(vote.View, madeUp, node.Index, _fixture.SignVote(node.Index, vote.View, madeUp)));
            }

            if ((behaviour & ByzantineBehaviour.ForgeSignatures) != 0)
            {
                int victim = (node.Index + 1 + _random.Next(_nodes.Length - 1)) % _nodes.Length;
                var madeUp = _fixture.Suite.Hash(vote.BlockHash.Bytes);
                Send(node.Index, outgoing.To, new VoteMessage(vote.View, madeUp, victim, _fixture.SignVote(node.Index, vote.View, madeUp)));
                var fakeQc = new QuorumCertificate(vote.View + 1, madeUp, [.. Enumerable.Range(0, _fixture.Validators.Quorum).Select(v => new ValidatorSignature(v, _fixture.SignVote(node.Index, vote.View + 1, madeUp)))]);
                var fakeTimeout = new TimeoutMessage(vote.View + 2, victim, fakeQc, null, _fixture.SignTimeout(node.Index, vote.View + 2, fakeQc.View));
                Send(node.Index, OutgoingMessage.Broadcast, fakeTimeout);
                if (_seenBlocks.TryGetValue(vote.BlockHash, out var voted))
                {
                    var fakeChild = HotStuffBlock.Create(_fixture.Suite, voted, vote.View + 1, [], _ledger.StateRoot(voted.StateRoot, []), new QuorumCertificate(vote.View, vote.BlockHash, fakeQc.Signatures));
                    Send(node.Index, OutgoingMessage.Broadcast, new ProposalMessage(fakeChild, null, _fixture.SignProposal(node.Index, fakeChild)));
                }
            }
        }
    }

    private void Replay(Node node)
    {
        if (node.Received.Count == 0)
        {
            return;
        }

        for (int i = 0; i < 3; i++)
        {
            var old = node.Received[_random.Next(node.Received.Count)];
            SendOne(node.Index, _random.Next(_nodes.Length), old);
        }
    }

    private bool AllAcceptedCommitted()
    {
        foreach (var node in _nodes)
        {
            if (!node.Byzantine && !node.Pool.HasCommittedAll(_accepted))
            {
                return false;
            }
        }

        return true;
    }

    private void Finish()
    {
        _result.EndTime = _now;
        _result.AcceptedTransactions = _accepted.Count;
        var honest = _nodes.Where(n => !n.Byzantine).ToList();
        _result.MinCommittedHeight = honest.Min(n => n.Chain.Count - 1);
        _result.MaxCommittedHeight = honest.Max(n => n.Chain.Count - 1);
        if (_options.FixedDuration == 0 && _result.Violations.Count == 0 && !AllAcceptedCommitted())
        {
            foreach (var node in honest)
            {
                int missing = _accepted.Count(tx => !node.Pool.IsCommitted(tx));
                if (missing > 0)
                {
                    _result.Violations.Add($"LIVENESS node {node.Index} had not committed {missing} of {_accepted.Count} accepted transactions {_options.LivenessBudget}ms after healing (height {node.Chain.Count - 1}, view {node.Replica?.CurrentView}, high QC {node.Replica?.Safety.HighQc}, locked {node.Replica?.Safety.LockedQc}, last rejection: {node.Replica?.LastRejection})");
                }
            }
        }

        // Everything committed before a crash is still there: every honest chain is a prefix-consistent copy of the agreed one.
        foreach (var node in honest)
        {
            for (int h = 1; h < node.Chain.Count; h++)
            {
                if (_committedAtHeight[h] != node.Chain[h].Hash)
                {
                    _result.Violations.Add($"node {node.Index} holds {node.Chain[h]} at height {h}, not the agreed block");
                    break;
                }
            }
        }
    }

    private enum EventKind
    {
        Tick,
        Deliver,
        SubmitTransaction,
        GossipTransaction,
        PartitionStart,
        PartitionEnd,
        Crash,
        Restart,
        Heal,
    }

    private sealed record Event(EventKind Kind, int Node = 0, int From = 0, HotStuffMessage? Message = null, ulong Tx = 0);

    private sealed class Node
    {
        public Node(int index, bool byzantine, bool idleWhenEmpty)
        {
            Pool = new SimulatedPool { IdleWhenEmpty = idleWhenEmpty };
            Index = index;
            Byzantine = byzantine;
            Chain = [Fixtures.GenesisFor()];
        }

        public int Index { get; }

        public bool Byzantine { get; }

        public HotStuffReplica? Replica { get; set; }

        public InMemorySafetyStorage Storage { get; } = new();

        public List<HotStuffBlock> Chain { get; }

        public SimulatedPool Pool { get; }

        public Dictionary<long, Hash256> Votes { get; } = [];

        public List<HotStuffMessage> Received { get; } = [];
    }

    /// <summary>Keys and genesis per validator count, built once (key derivation is the slow part).</summary>
    private static class Fixtures
    {
        private static readonly Dictionary<int, HotStuffFixture> s_byCount = [];
        private static readonly Lock s_lock = new();

        public static HotStuffFixture Get(int validators)
        {
            lock (s_lock)
            {
                if (!s_byCount.TryGetValue(validators, out var fixture))
                {
                    fixture = new HotStuffFixture(validators);
                    s_byCount.Add(validators, fixture);
                }

                return fixture;
            }
        }

        // Genesis depends only on the suite and the seed byte, not on the validators.
        public static HotStuffBlock GenesisFor() => Get(4).Genesis;
    }
}
