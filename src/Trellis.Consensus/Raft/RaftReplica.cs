using System.Diagnostics.CodeAnalysis;
using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Raft;

/// <summary>
/// One Raft server as an event-driven state machine (Ongaro and Ousterhout 2014, "In Search of an Understandable
/// Consensus Algorithm", Figure 2). It owns no thread, timer or socket: the driver (the simulator, or
/// the Raft engine) feeds it messages, clock ticks and proposals, sends the messages it returns and applies
/// the entries it reports committed, in order. Term, vote and log changes are saved through
/// <see cref="IRaftStorage"/> before any message depending on them is returned. The applied prefix of the log is
/// compacted (§7); a follower that needs compacted entries is told to catch up by block sync
/// (<see cref="RaftOutput.CatchUp"/>). With <see cref="RaftOptions.PreVote"/> a server stands for election only after a
/// pre-vote majority and ignores vote requests while it hears from a leader (thesis §9.6); with
/// <see cref="RaftOptions.CheckQuorum"/> a leader cut off from a majority steps down. Not thread-safe: one caller at a time.
/// </summary>
public sealed class RaftReplica
{
    private readonly int _self;
    private readonly RaftOptions _options;
    private readonly IRaftStorage _storage;
    private readonly Random _random;

    // The in-memory log holds entries (_baseIndex, LastLogIndex]; _log[i] has index _baseIndex + 1 + i.
    private readonly List<RaftEntry> _log = [];

    // The configuration of each entry this leader appended in its term and has not committed yet.
    private readonly Dictionary<long, RaftConfiguration> _entryConfigurations = [];
    private bool[] _votes;

    // Check-quorum: the servers a leader heard from since its last check.
    private bool[] _active;
    private long[] _nextIndex;
    private long[] _matchIndex;
    private int _count;
    private RaftConfiguration _configuration;
    private RaftConfiguration _electionConfiguration;
    private long _baseIndex;
    private long _baseTerm;
    private long _storageBaseIndex;
    private long _term;
    private int _votedFor;
    private long _commitIndex;
    private long _reportedIndex;
    private long _appliedIndex;
    private long _termStartIndex;
    private long _electionDeadline;
    private long _nextHeartbeat;
    private long _lastLeaderContact;
    private long _quorumCheckDeadline;
    private bool _preCandidate;
    private bool _started;

    /// <summary>
    /// Creates server <paramref name="self"/> of <paramref name="count"/>, resuming from whatever
    /// <paramref name="storage"/> holds (term, vote, unapplied log, compaction point). Entries up to the compaction
    /// point count as committed and applied.
    /// </summary>
    /// <param name="self">This server's id.</param>
    /// <param name="count">The number of server ids known so far (ids are 0..count-1; more may be added by <see cref="SetConfiguration"/>).</param>
    /// <param name="options">Timing and batching.</param>
    /// <param name="storage">Durable state.</param>
    /// <param name="random">Draws election timeouts; seeded in the simulator.</param>
    /// <param name="configuration">The voters of the next entry; null for every server 0..count-1.</param>
    /// <exception cref="ArgumentException">The id is out of range or the stored state is inconsistent.</exception>
    public RaftReplica(int self, int count, RaftOptions options, IRaftStorage storage, Random random, RaftConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (count < 1 || self < 0 || self >= count)
        {
            throw new ArgumentException($"raft server index {self} is not in [0, {count})", nameof(self));
        }

        _self = self;
        _options = options;
        _storage = storage;
        _random = random;
        _configuration = _electionConfiguration = configuration ?? RaftConfiguration.All(count);
        _count = Math.Max(count, _configuration.MaxId + 1);
        _votes = new bool[_count];
        _active = new bool[_count];
        _nextIndex = new long[_count];
        _matchIndex = new long[_count];

        var state = storage.Load();
        if (state.Term < 0 || state.VotedFor < -1 || state.VotedFor >= count || state.SnapshotIndex < 0 || state.SnapshotTerm < 0 || state.SnapshotTerm > state.Term)
        {
            throw new ArgumentException($"raft storage holds an inconsistent state: term {state.Term}, vote {state.VotedFor}, snapshot ({state.SnapshotIndex}, {state.SnapshotTerm})", nameof(storage));
        }

        _term = state.Term;
        _votedFor = state.VotedFor;
        _baseIndex = _storageBaseIndex = _commitIndex = _reportedIndex = _appliedIndex = state.SnapshotIndex;
        _baseTerm = state.SnapshotTerm;
        long previousTerm = _baseTerm;
        foreach (var entry in state.Entries)
        {
            if (entry.Index != _baseIndex + 1 + _log.Count || entry.Term < previousTerm || entry.Term > _term)
            {
                throw new ArgumentException($"raft storage holds entry ({entry.Index}, term {entry.Term}) out of order after index {_baseIndex + _log.Count} (term {previousTerm}, current term {_term})", nameof(storage));
            }

            previousTerm = entry.Term;
            _log.Add(entry);
        }

        Role = RaftRole.Follower;
        Leader = -1;
    }

    /// <summary>This server's id.</summary>
    public int Index => _self;

    /// <summary>
    /// The voters of the next entry this server's log would hold (the latest configuration it knows, Raft §6): used to
    /// count votes, to count acknowledgements of the entries it appends as leader, and to decide whether it may vote
    /// or stand for election at all.
    /// </summary>
    public RaftConfiguration Configuration => _configuration;

    /// <summary>True if this server is a voter of <see cref="Configuration"/>.</summary>
    public bool IsVoter => _configuration.IsVoter(_self);

    /// <summary>Follower, candidate or leader.</summary>
    public RaftRole Role { get; private set; }

    /// <summary>
    /// True while this server runs a pre-election (<see cref="RaftOptions.PreVote"/>): its <see cref="Role"/> is still
    /// follower and its term unchanged; it asks whether a majority would vote for it in the next term.
    /// </summary>
    public bool IsPreCandidate => _preCandidate;

    /// <summary>The latest term this server has seen.</summary>
    public long CurrentTerm => _term;

    /// <summary>Whom this server voted for in <see cref="CurrentTerm"/>, or -1.</summary>
    public int VotedFor => _votedFor;

    /// <summary>The leader of <see cref="CurrentTerm"/> as far as this server knows, or -1.</summary>
    public int Leader { get; private set; }

    /// <summary>The highest index known committed.</summary>
    public long CommitIndex => _commitIndex;

    /// <summary>The highest index the driver has applied (<see cref="MarkApplied"/>, <see cref="InstallSnapshot"/>).</summary>
    public long AppliedIndex => _appliedIndex;

    /// <summary>The index of the last log entry (the compaction point when the log is empty).</summary>
    public long LastLogIndex => _baseIndex + _log.Count;

    /// <summary>The term of the last log entry.</summary>
    public long LastLogTerm => _log.Count > 0 ? _log[^1].Term : _baseTerm;

    /// <summary>The first index still in memory minus one (entries up to it were applied and dropped).</summary>
    public long SnapshotIndex => _baseIndex;

    /// <summary>The driver's applied application height (block height); sent to followers so they know how far the network is.</summary>
    public ulong ApplicationHeight { get; set; }

    /// <summary>The highest application height a leader of the current or a later term has reported.</summary>
    public ulong LeaderHeight { get; private set; }

    /// <summary>
    /// True when this leader may propose a new entry: everything in its log, including the no-op that opened its
    /// term, is committed and applied. Keeps one proposal in flight so each block is built on the applied head.
    /// </summary>
    public bool CanPropose => Role == RaftRole.Leader && _appliedIndex >= LastLogIndex && IsVoter;

    /// <summary>Messages rejected so far (malformed, from an unknown sender, or unsafe).</summary>
    public int RejectedCount { get; private set; }

    /// <summary>Why the last message was rejected.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Receives a line for each notable decision, for debugging a simulation.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Starts the election timer at <paramref name="now"/>; a single-server cluster elects itself at once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public RaftOutput Start(long now)
    {
        if (_started)
        {
            throw new InvalidOperationException($"raft server {_self} was already started");
        }

        _started = true;
        var output = new RaftOutput();
        ResetElectionTimer(now);
        CommitBeforeLastPayload(output);
        if (IsVoter && _configuration.HasQuorum(id => id == _self))
        {
            StartElection(now, output);
        }

        return output;
    }

    /// <summary>Advances time: a leader sends heartbeats; a follower or candidate whose election timeout passed starts an election (§5.2).</summary>
    public RaftOutput Tick(long now)
    {
        var output = new RaftOutput();
        if (!_started)
        {
            return output;
        }

        if (Role == RaftRole.Leader)
        {
            if (_options.CheckQuorum && now >= _quorumCheckDeadline && !CheckQuorum(now))
            {
                return output;
            }

            if (now >= _nextHeartbeat)
            {
                _nextHeartbeat = now + _options.HeartbeatInterval;
                SendAppendToAll(output);
            }
        }
        else if (now >= _electionDeadline)
        {
            if (IsVoter)
            {
                if (_options.PreVote)
                {
                    StartPreElection(now, output);
                }
                else
                {
                    StartElection(now, output);
                }
            }
            else
            {
                // Not a voter of the latest configuration it knows: it neither stands nor asks (a removed server,
                // or a new one that has not yet applied the block that makes it a voter).
                ResetElectionTimer(now);
            }
        }
        else if ((Role == RaftRole.Candidate || _preCandidate) && now >= _nextHeartbeat)
        {
            // Servers retry RPCs that get no response (§5.1): ask again whoever has not granted a vote yet.
            _nextHeartbeat = now + _options.HeartbeatInterval;
            var request = _preCandidate
                ? new RequestVoteMessage(_term + 1, LastLogIndex, LastLogTerm, PreVote: true)
                : new RequestVoteMessage(_term, LastLogIndex, LastLogTerm);
            foreach (int peer in _electionConfiguration.Members())
            {
                if (peer != _self && !_votes[peer])
                {
                    output.Messages.Add(new RaftOutgoingMessage(peer, request));
                }
            }
        }

        return output;
    }

    /// <summary>
    /// Appends <paramref name="payload"/> as a new entry of the current term and replicates it. Returns the entry's
    /// index, or -1 when this server is not the leader.
    /// </summary>
    public long Propose(ReadOnlyMemory<byte> payload, long now, RaftOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Role != RaftRole.Leader)
        {
            return -1;
        }

        long index = AppendOwn(payload);
        _nextHeartbeat = now + _options.HeartbeatInterval;
        SendAppendToAll(output);
        AdvanceCommit(output);
        return index;
    }

    /// <summary>Handles a message from server <paramref name="from"/> (as authenticated by the transport); ids no configuration named yet are rejected.</summary>
    public RaftOutput Receive(int from, RaftMessage message, long now)
    {
        var output = new RaftOutput();
        if (!_started || message is null || from < 0 || from >= _count || from == _self)
        {
            Reject($"message from {from} dropped: replica not started, null message or unknown sender");
            return output;
        }

        string? malformed = Validate(message);
        if (malformed is not null)
        {
            Reject($"malformed {message.GetType().Name} from {from}: {malformed}");
            return output;
        }

        // Figure 2, all servers: a higher term in any message makes this server a follower of that term. A pre-vote
        // request and a granted pre-vote carry a term nobody has adopted yet, so they change no term (thesis §9.6); a
        // refused pre-vote carries the responder's real term.
        bool notARealTerm = message is RequestVoteMessage { PreVote: true } or RequestVoteResponseMessage { PreVote: true, Granted: true };
        if (message.Term > _term && !notARealTerm)
        {
            if (message is RequestVoteMessage && _options.PreVote && HeardFromLeaderRecently(now))
            {
                // Leader stickiness (thesis §4.2.3): while a leader is heard, a vote request does not even change the
                // term, so a server that missed its removal or rejoins from a partition cannot depose it.
                TraceLine($"ignores vote request of term {message.Term} from {from}: heard from leader {Leader} within the election timeout");
                return output;
            }

            BecomeFollower(message.Term, now);
        }

        switch (message)
        {
            case RequestVoteMessage vote:
                HandleRequestVote(from, vote, now, output);
                break;
            case RequestVoteResponseMessage response:
                HandleVoteResponse(from, response, now, output);
                break;
            case AppendEntriesMessage append:
                HandleAppendEntries(from, append, now, output);
                break;
            case AppendEntriesResponseMessage response:
                HandleAppendResponse(from, response, output);
                break;
            case CatchUpMessage catchUp:
                HandleCatchUp(from, catchUp, now, output);
                break;
            default:
                Reject($"unknown message type {message.GetType().Name} from {from}");
                break;
        }

        return output;
    }

    /// <summary>The largest server id accepted (the driver's ids must stay below it).</summary>
    public const int MaxServerId = ushort.MaxValue;

    /// <summary>
    /// Sets the voters of the next entry (see <see cref="Configuration"/>). The driver calls it whenever the last
    /// block in the log or its applied state changes what that is. A leader that is not a voter of it steps down once
    /// everything it appended is committed (Raft §6: a removed leader leaves after committing its removal).
    /// </summary>
    /// <exception cref="ArgumentException">An id exceeds <see cref="MaxServerId"/>.</exception>
    public void SetConfiguration(RaftConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.MaxId > MaxServerId)
        {
            throw new ArgumentException($"raft server id {configuration.MaxId} exceeds {MaxServerId}", nameof(configuration));
        }

        EnsureServer(configuration.MaxId);
        if (!configuration.SameAs(_configuration))
        {
            TraceLine($"configuration {_configuration} -> {configuration}");
            _configuration = configuration;
        }

        StepDownIfRemoved();
    }

    /// <summary>
    /// The driver applied every committed entry up to <paramref name="index"/>: the storage drops them (the block
    /// store holds them now), and memory keeps the last <see cref="RaftOptions.RetainedAppliedEntries"/> for
    /// lagging followers.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is beyond what was reported committed.</exception>
    public void MarkApplied(long index)
    {
        if (index > _reportedIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"raft server {_self} cannot mark index {index} applied: only {_reportedIndex} was reported committed");
        }

        if (index <= _appliedIndex)
        {
            return;
        }

        _appliedIndex = index;
        StepDownIfRemoved();
        if (index > _storageBaseIndex)
        {
            _storage.Compact(index, TermAt(index));
            _storageBaseIndex = index;
        }

        long trimTo = index - _options.RetainedAppliedEntries;
        if (trimTo > _baseIndex)
        {
            int drop = (int)(trimTo - _baseIndex);
            _baseTerm = _log[drop - 1].Term;
            _log.RemoveRange(0, drop);
            _baseIndex = trimTo;
        }
    }

    /// <summary>
    /// The driver brought its application (block store) up to the leader's snapshot point by block sync (after a
    /// <see cref="RaftOutput.CatchUp"/>): the log restarts after (<paramref name="index"/>, <paramref name="term"/>).
    /// As in InstallSnapshot (§7), entries after the point are kept when the log holds the point's entry, otherwise
    /// the whole log is discarded. Does nothing when the point is not beyond what was already applied.
    /// </summary>
    public void InstallSnapshot(long index, long term)
    {
        // A leader holds every committed entry (Leader Completeness), so it never replaces its log.
        if (index <= _appliedIndex || term < 0 || term > _term || Role == RaftRole.Leader)
        {
            return;
        }

        bool keepsSuffix = index <= LastLogIndex && index > _baseIndex && TermAt(index) == term;
        if (keepsSuffix)
        {
            _log.RemoveRange(0, (int)(index - _baseIndex));
        }
        else
        {
            _log.Clear();
            _storage.TruncateFrom(_storageBaseIndex + 1);
        }

        _storage.Compact(index, term);
        _storageBaseIndex = index;
        _baseIndex = index;
        _baseTerm = term;
        _commitIndex = Math.Max(_commitIndex, index);
        _reportedIndex = Math.Max(_reportedIndex, index);
        _appliedIndex = index;
        TraceLine($"installed snapshot ({index}, {term}), kept {_log.Count} entries");
    }

    /// <summary>The term of the entry at <paramref name="index"/>, which must be in [<see cref="SnapshotIndex"/>, <see cref="LastLogIndex"/>].</summary>
    public long TermAt(long index)
    {
        if (index == _baseIndex)
        {
            return _baseTerm;
        }

        if (index < _baseIndex || index > LastLogIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"raft server {_self} holds indexes [{_baseIndex}, {LastLogIndex}]");
        }

        return _log[(int)(index - _baseIndex - 1)].Term;
    }

    /// <summary>The entry at <paramref name="index"/> if it is still in memory.</summary>
    public bool TryGetEntry(long index, out RaftEntry entry)
    {
        if (index > _baseIndex && index <= LastLogIndex)
        {
            entry = _log[(int)(index - _baseIndex - 1)];
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>Checks a message's fields on their own (the receiver's state aside); the reason, or null when well formed.</summary>
    public static string? Validate(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Term < 0)
        {
            return $"term {message.Term} is negative";
        }

        switch (message)
        {
            case RequestVoteMessage vote:
                if (vote.Term == long.MaxValue || vote.LastLogIndex < 0 || vote.LastLogTerm < 0 || vote.LastLogTerm > vote.Term)
                {
                    return $"last log ({vote.LastLogIndex}, term {vote.LastLogTerm}) is negative or newer than the candidate's term {vote.Term}";
                }

                return null;
            case AppendEntriesMessage append:
                if (append.PrevLogIndex < 0 || append.PrevLogTerm < 0 || append.PrevLogTerm > append.Term || append.LeaderCommit < 0)
                {
                    return $"previous entry ({append.PrevLogIndex}, term {append.PrevLogTerm}) or commit {append.LeaderCommit} is negative or newer than term {append.Term}";
                }

                if (append.Entries is null)
                {
                    return "entries are missing";
                }

                long expected = append.PrevLogIndex + 1;
                long lastTerm = append.PrevLogTerm;
                foreach (var entry in append.Entries)
                {
                    if (entry.Index != expected || entry.Term < lastTerm || entry.Term > append.Term)
                    {
                        return $"entry ({entry.Index}, term {entry.Term}) does not follow ({expected - 1}, term {lastTerm}) within term {append.Term}";
                    }

                    expected++;
                    lastTerm = entry.Term;
                }

                return null;
            case AppendEntriesResponseMessage response:
                return response.Index < 0 ? $"index {response.Index} is negative" : null;
            case CatchUpMessage catchUp:
                return catchUp.SnapshotIndex < 1 || catchUp.SnapshotTerm < 1 || catchUp.SnapshotTerm > catchUp.Term
                    ? $"snapshot ({catchUp.SnapshotIndex}, term {catchUp.SnapshotTerm}) is not positive or is newer than term {catchUp.Term}"
                    : null;
            default:
                return null;
        }
    }

    private void HandleRequestVote(int from, RequestVoteMessage vote, long now, RaftOutput output)
    {
        // §5.2 one vote per term, first come first served; §5.4.1 only for a candidate whose log is at least as
        // up to date: a later last term, or the same last term and at least as long.
        bool upToDate = vote.LastLogTerm > LastLogTerm || (vote.LastLogTerm == LastLogTerm && vote.LastLogIndex >= LastLogIndex);
        if (vote.PreVote)
        {
            // Thesis §9.6: the answer the real request would get, except that a server hearing from a leader refuses,
            // and nothing here changes: no term, no vote, no timer. A granted pre-vote echoes the requested term.
            bool wouldVote = vote.Term > _term || (vote.Term == _term && (_votedFor == -1 || _votedFor == from) && Leader == -1);
            bool preGranted = wouldVote && upToDate && IsVoter && !HeardFromLeaderRecently(now);
            output.Messages.Add(new RaftOutgoingMessage(from, new RequestVoteResponseMessage(preGranted ? vote.Term : _term, preGranted, PreVote: true)));
            return;
        }

        // A server that is not a voter of the latest configuration it knows does not vote (Raft §6).
        bool granted = vote.Term == _term && (_votedFor == -1 || _votedFor == from) && upToDate && IsVoter;
        if (granted)
        {
            if (_votedFor != from)
            {
                _votedFor = from;
                _storage.SaveTermAndVote(_term, _votedFor);
            }

            ResetElectionTimer(now);
            TraceLine($"voted for {from} in term {_term}");
        }

        output.Messages.Add(new RaftOutgoingMessage(from, new RequestVoteResponseMessage(_term, granted)));
    }

    private void HandleVoteResponse(int from, RequestVoteResponseMessage response, long now, RaftOutput output)
    {
        if (response.PreVote)
        {
            if (!_preCandidate || !response.Granted || response.Term != _term + 1)
            {
                return;
            }

            _votes[from] = true;
            if (_electionConfiguration.HasQuorum(id => _votes[id]))
            {
                StartElection(now, output);
            }

            return;
        }

        if (Role != RaftRole.Candidate || response.Term != _term || !response.Granted)
        {
            return;
        }

        _votes[from] = true;
        if (_electionConfiguration.HasQuorum(id => _votes[id]))
        {
            BecomeLeader(now, output);
        }
    }

    private void HandleAppendEntries(int from, AppendEntriesMessage append, long now, RaftOutput output)
    {
        // Figure 2, AppendEntries 1: reply false if term < currentTerm.
        if (append.Term < _term)
        {
            output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, false, LastLogIndex)));
            return;
        }

        if (!AcceptLeader(from, now))
        {
            return;
        }

        LeaderHeight = Math.Max(LeaderHeight, append.LeaderHeight);
        long prev = append.PrevLogIndex;
        var entries = append.Entries;
        int skip = 0;
        if (prev < _baseIndex)
        {
            // Entries up to the compaction point were committed and applied, so they match the leader's (Log
            // Matching): skip them and continue from the point.
            long skipTo = Math.Min(_baseIndex, prev + entries.Count);
            skip = (int)(skipTo - prev);
            prev = skipTo;
            if (prev < _baseIndex)
            {
                output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, true, prev)));
                return;
            }
        }
        else
        {
            // AppendEntries 2: reply false if the log has no entry at prevLogIndex whose term is prevLogTerm.
            if (prev > LastLogIndex)
            {
                output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, false, LastLogIndex)));
                return;
            }

            long prevTerm = TermAt(prev);
            if (prevTerm != append.PrevLogTerm)
            {
                // Skip the whole conflicting term at once (§5.3, the optimisation the paper describes).
                long hint = prev - 1;
                while (hint > _baseIndex && hint > _commitIndex && TermAt(hint) == prevTerm)
                {
                    hint--;
                }

                output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, false, hint)));
                return;
            }
        }

        // AppendEntries 3 and 4: delete a conflicting entry and all that follow; append entries not in the log.
        List<RaftEntry>? fresh = null;
        for (int i = skip; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (fresh is null && entry.Index <= LastLogIndex)
            {
                if (TermAt(entry.Index) == entry.Term)
                {
                    continue;
                }

                if (entry.Index <= _commitIndex)
                {
                    Reject($"AppendEntries from {from} in term {append.Term} conflicts at committed index {entry.Index} (commit {_commitIndex}): refused");
                    return;
                }

                TraceLine($"truncating from {entry.Index} (term {TermAt(entry.Index)} vs {entry.Term})");
                _log.RemoveRange((int)(entry.Index - _baseIndex - 1), (int)(LastLogIndex - entry.Index + 1));
                _storage.TruncateFrom(entry.Index);
            }

            fresh ??= new List<RaftEntry>(entries.Count - i);
            fresh.Add(entry);
        }

        if (fresh is not null)
        {
            _storage.Append(fresh);
            _log.AddRange(fresh);
        }

        // AppendEntries 5: commitIndex = min(leaderCommit, index of last new entry).
        long lastNew = append.PrevLogIndex + entries.Count;
        long commit = Math.Min(append.LeaderCommit, lastNew);
        if (commit > _commitIndex)
        {
            _commitIndex = commit;
            ReportCommitted(output);
        }

        CommitBeforeLastPayload(output);

        output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, true, lastNew)));
    }

    private void HandleCatchUp(int from, CatchUpMessage catchUp, long now, RaftOutput output)
    {
        if (catchUp.Term < _term)
        {
            return;
        }

        if (!AcceptLeader(from, now))
        {
            return;
        }

        LeaderHeight = Math.Max(LeaderHeight, catchUp.LeaderHeight);
        long index = catchUp.SnapshotIndex;
        bool holdsPoint = index <= _appliedIndex
            || (index >= _baseIndex && index <= LastLogIndex && TermAt(index) == catchUp.SnapshotTerm);
        if (holdsPoint)
        {
            // The log matches the leader's up to the point (applied entries are committed; otherwise Log Matching).
            output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, true, Math.Min(index, LastLogIndex))));
            return;
        }

        output.CatchUp = new RaftCatchUp(from, index, catchUp.SnapshotTerm, catchUp.LeaderHeight);

        // Answer, so a leader checking its quorum knows this server is reachable while it syncs.
        output.Messages.Add(new RaftOutgoingMessage(from, new AppendEntriesResponseMessage(_term, false, LastLogIndex)));
    }

    private void HandleAppendResponse(int from, AppendEntriesResponseMessage response, RaftOutput output)
    {
        if (Role != RaftRole.Leader || response.Term != _term)
        {
            return;
        }

        _active[from] = true;
        if (response.Success)
        {
            if (response.Index > LastLogIndex)
            {
                Reject($"AppendEntries response from {from} acknowledges index {response.Index} beyond the leader's last index {LastLogIndex}");
                return;
            }

            if (response.Index > _matchIndex[from])
            {
                _matchIndex[from] = response.Index;
                AdvanceCommit(output);
            }

            _nextIndex[from] = Math.Max(_nextIndex[from], response.Index + 1);
            if (_nextIndex[from] <= LastLogIndex)
            {
                SendAppend(from, output);
            }

            return;
        }

        if (_nextIndex[from] <= _baseIndex)
        {
            // The follower was told to catch up by block sync; the next heartbeat repeats the notice.
            return;
        }

        // Retry from the follower's hint, never below what it is known to hold.
        long next = Math.Max(_matchIndex[from] + 1, Math.Min(_nextIndex[from] - 1, response.Index + 1));
        if (next < _nextIndex[from])
        {
            _nextIndex[from] = Math.Max(1, next);
            SendAppend(from, output);
        }
    }

    private bool AcceptLeader(int from, long now)
    {
        if (Role == RaftRole.Leader)
        {
            // Election Safety says this cannot happen; a second leader in one term is a bug or a forged sender.
            Reject($"server {from} claims leadership of term {_term}, which this server leads");
            return false;
        }

        if (Role == RaftRole.Candidate)
        {
            // §5.2: a candidate that hears from a leader of its own term returns to follower.
            Role = RaftRole.Follower;
        }

        if (Leader != from)
        {
            TraceLine($"follows {from} in term {_term}");
        }

        Leader = from;
        _preCandidate = false;
        _lastLeaderContact = now;
        ResetElectionTimer(now);
        return true;
    }

    private void StartPreElection(long now, RaftOutput output)
    {
        // Thesis §9.6: ask, for term + 1, whether the servers would vote for this log, without adopting that term, so
        // a server that cannot win (cut off, behind, or removed without knowing it) never raises anyone's term.
        if (_term >= long.MaxValue - 1)
        {
            ResetElectionTimer(now);
            return;
        }

        _preCandidate = true;
        Role = RaftRole.Follower;
        if (BeginVoteRound(now))
        {
            StartElection(now, output);
            return;
        }

        TraceLine($"starts pre-election for term {_term + 1} among {_electionConfiguration}");
        AskForVotes(new RequestVoteMessage(_term + 1, LastLogIndex, LastLogTerm, PreVote: true), output);
    }

    private void StartElection(long now, RaftOutput output)
    {
        // §5.2: increment the term, vote for self, reset the timer, ask everyone for votes.
        _preCandidate = false;
        _term++;
        _votedFor = _self;
        _storage.SaveTermAndVote(_term, _votedFor);
        Role = RaftRole.Candidate;
        if (BeginVoteRound(now))
        {
            BecomeLeader(now, output);
            return;
        }

        TraceLine($"starts election for term {_term} among {_electionConfiguration}");
        AskForVotes(new RequestVoteMessage(_term, LastLogIndex, LastLogTerm), output);
    }

    // A (pre-)election round: only this server's own vote so far, decided by the configuration of the entry after its
    // last one (the latest it knows), timers restarted. True when that vote alone is a majority (a single voter).
    private bool BeginVoteRound(long now)
    {
        Leader = -1;
        Array.Clear(_votes);
        _votes[_self] = true;
        _electionConfiguration = _configuration;
        ResetElectionTimer(now);
        _nextHeartbeat = now + _options.HeartbeatInterval;
        return _electionConfiguration.HasQuorum(id => id == _self);
    }

    private void AskForVotes(RequestVoteMessage request, RaftOutput output)
    {
        foreach (int peer in _electionConfiguration.Members())
        {
            if (peer != _self)
            {
                output.Messages.Add(new RaftOutgoingMessage(peer, request));
            }
        }
    }

    private void BecomeLeader(long now, RaftOutput output)
    {
        Role = RaftRole.Leader;
        Leader = _self;
        _preCandidate = false;
        Array.Clear(_active);
        _quorumCheckDeadline = now + _options.ElectionTimeout;
        TraceLine($"leads term {_term}");
        for (int peer = 0; peer < _count; peer++)
        {
            _nextIndex[peer] = LastLogIndex + 1;
            _matchIndex[peer] = 0;
        }

        // A leader commits entries of earlier terms only through one of its own (§5.4.2), so it opens its term
        // with a no-op entry (§8) rather than waiting for a proposal. Because it proposes nothing else before the
        // no-op commits, a configuration change never follows a leader change uncommitted (the single-server
        // change fix of Ongaro's thesis errata).
        _entryConfigurations.Clear();
        _termStartIndex = AppendOwn(ReadOnlyMemory<byte>.Empty);
        _nextHeartbeat = now + _options.HeartbeatInterval;
        SendAppendToAll(output);
        AdvanceCommit(output);
    }

    private void BecomeFollower(long term, long now)
    {
        if (Role == RaftRole.Leader)
        {
            TraceLine($"steps down: term {term} > {_term}");
        }

        _term = term;
        _votedFor = -1;
        _storage.SaveTermAndVote(_term, _votedFor);
        Role = RaftRole.Follower;
        Leader = -1;
        _preCandidate = false;
        ResetElectionTimer(now);
    }

    // Leader stickiness (thesis §4.2.3, §9.6): a leader, or a follower that heard from one within the least election
    // timeout, believes the leader is alive; no server's timer can have fired since, so nobody needs a new election.
    private bool HeardFromLeaderRecently(long now) =>
        Role == RaftRole.Leader || (Leader >= 0 && now - _lastLeaderContact < _options.ElectionTimeout);

    // Check-quorum (thesis §6.2): a leader that heard nothing from a majority of its configuration within an election
    // timeout steps down in its term, so a partitioned leader stops accepting proposals. True if it stays leader.
    private bool CheckQuorum(long now)
    {
        bool heard = _configuration.HasQuorum(id => id == _self || _active[id]);
        Array.Clear(_active);
        _quorumCheckDeadline = now + _options.ElectionTimeout;
        if (heard)
        {
            return true;
        }

        TraceLine($"steps down: heard from no majority of {_configuration} within {_options.ElectionTimeout}");
        Role = RaftRole.Follower;
        Leader = -1;
        _entryConfigurations.Clear();
        ResetElectionTimer(now);
        return false;
    }

    private long AppendOwn(ReadOnlyMemory<byte> payload)
    {
        var entry = new RaftEntry(LastLogIndex + 1, _term, payload);
        _storage.Append([entry]);
        _log.Add(entry);
        _matchIndex[_self] = entry.Index;
        _entryConfigurations[entry.Index] = _configuration;
        return entry.Index;
    }

    private void SendAppend(int peer, RaftOutput output)
    {
        long next = _nextIndex[peer];
        if (next <= _baseIndex)
        {
            output.Messages.Add(new RaftOutgoingMessage(peer, new CatchUpMessage(_term, _baseIndex, _baseTerm, ApplicationHeight)));
            return;
        }

        long prev = next - 1;
        long last = LastLogIndex;
        var entries = new List<RaftEntry>();
        long bytes = 0;
        for (long index = next; index <= last && entries.Count < _options.MaxEntriesPerMessage; index++)
        {
            var entry = _log[(int)(index - _baseIndex - 1)];
            if (entries.Count > 0 && bytes + entry.Payload.Length > _options.MaxBytesPerMessage)
            {
                break;
            }

            bytes += entry.Payload.Length;
            entries.Add(entry);
        }

        output.Messages.Add(new RaftOutgoingMessage(peer, new AppendEntriesMessage(_term, prev, TermAt(prev), entries, _commitIndex, ApplicationHeight)));

        // Optimistic: the next message continues after these; a loss shows up as a rejection and is resent.
        _nextIndex[peer] = next + entries.Count;
    }

    private void AdvanceCommit(RaftOutput output)
    {
        // Figure 2, leaders: the highest N with log[N].term == currentTerm replicated on a majority is committed; the
        // majority is of N's own configuration (both lists when it is joint), recorded when N was appended.
        for (long n = LastLogIndex; n > _commitIndex && n >= _termStartIndex; n--)
        {
            if (TermAt(n) != _term || !_entryConfigurations.TryGetValue(n, out RaftConfiguration? configuration))
            {
                continue;
            }

            if (!configuration.HasQuorum(id => _matchIndex[id] >= n))
            {
                continue;
            }

            _commitIndex = n;
            foreach (long index in _entryConfigurations.Keys.Where(i => i <= n).ToArray())
            {
                _entryConfigurations.Remove(index);
            }

            ReportCommitted(output);

            // Tell followers now rather than at the next heartbeat, so they apply the block without waiting.
            foreach (int peer in ReplicationTargets())
            {
                if (_nextIndex[peer] > LastLogIndex)
                {
                    SendAppend(peer, output);
                }
            }

            return;
        }
    }

    // Every server a leader replicates to: the voters of the next entry and of its uncommitted entries, but itself.
    private List<int> ReplicationTargets()
    {
        var targets = new List<int>(_count);
        foreach (int id in _configuration.Members())
        {
            if (id != _self)
            {
                targets.Add(id);
            }
        }

        foreach (RaftConfiguration configuration in _entryConfigurations.Values)
        {
            foreach (int id in configuration.Members())
            {
                if (id != _self && !targets.Contains(id))
                {
                    targets.Add(id);
                }
            }
        }

        return targets;
    }

    private void SendAppendToAll(RaftOutput output)
    {
        foreach (int peer in ReplicationTargets())
        {
            SendAppend(peer, output);
        }
    }

    // With one proposal in flight a leader appends a payload only once everything before it is committed; by Log
    // Matching every log holding that entry holds the same prefix, so the prefix is committed wherever it is held.
    // Followers apply it at once instead of waiting for the leader's commit index: every entry before a log's last
    // block is applied, which is what lets the driver know the configuration of the next entry.
    private void CommitBeforeLastPayload(RaftOutput output)
    {
        if (!_options.OneProposalInFlight)
        {
            return;
        }

        for (long index = LastLogIndex; index > _commitIndex + 1 && index > _baseIndex; index--)
        {
            if (!_log[(int)(index - _baseIndex - 1)].Payload.IsEmpty)
            {
                _commitIndex = index - 1;
                ReportCommitted(output);
                return;
            }
        }
    }

    private void StepDownIfRemoved()
    {
        if (Role == RaftRole.Leader && !IsVoter && _appliedIndex >= LastLogIndex)
        {
            TraceLine($"steps down: not a voter of {_configuration}");
            Role = RaftRole.Follower;
            Leader = -1;
            _entryConfigurations.Clear();
        }
    }

    private void EnsureServer(int id)
    {
        if (id < _count)
        {
            return;
        }

        int count = Math.Max(id + 1, _count * 2);
        Array.Resize(ref _votes, count);
        Array.Resize(ref _active, count);
        Array.Resize(ref _nextIndex, count);
        Array.Resize(ref _matchIndex, count);
        for (int i = _count; i < count; i++)
        {
            _nextIndex[i] = LastLogIndex + 1;
        }

        _count = count;
    }

    private void ReportCommitted(RaftOutput output)
    {
        while (_reportedIndex < _commitIndex)
        {
            _reportedIndex++;
            output.Committed.Add(_log[(int)(_reportedIndex - _baseIndex - 1)]);
        }
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Election timeouts only need to differ between servers (§5.2); the simulator must be able to seed them.")]
    private void ResetElectionTimer(long now) =>
        _electionDeadline = now + _options.ElectionTimeout + _random.NextInt64(_options.ElectionTimeout);

    private void Reject(string reason)
    {
        RejectedCount++;
        LastRejection = reason;
        TraceLine("rejected: " + reason);
    }

    private void TraceLine(string line) => Trace?.Invoke($"[{_self} t{_term} {Role}] {line}");
}
