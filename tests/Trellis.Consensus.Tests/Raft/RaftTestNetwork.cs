using Trellis.Core;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>
/// An in-memory consensus network between engines: sends go straight to the receiver's <c>Receive</c> (which only
/// decodes and queues). Links can be cut per node to make partitions; a detached node neither sends nor receives.
/// </summary>
internal sealed class RaftTestNetwork
{
    private readonly Dictionary<Address, INetworkedConsensusEngine> _engines = [];
    private readonly HashSet<Address> _isolated = [];
    private readonly Lock _lock = new();

    public IConsensusNetwork Join(Address self, INetworkedConsensusEngine engine)
    {
        lock (_lock)
        {
            _engines[self] = engine;
        }

        return new Endpoint(this, self);
    }

    public void Leave(Address self)
    {
        lock (_lock)
        {
            _engines.Remove(self);
        }
    }

    /// <summary>Cuts every link of <paramref name="node"/> (it stays running).</summary>
    public void Isolate(Address node)
    {
        lock (_lock)
        {
            _isolated.Add(node);
        }
    }

    public void Reconnect(Address node)
    {
        lock (_lock)
        {
            _isolated.Remove(node);
        }
    }

    private bool Deliver(Address from, Address to, ReadOnlyMemory<byte> message)
    {
        INetworkedConsensusEngine? target;
        lock (_lock)
        {
            if (_isolated.Contains(from) || _isolated.Contains(to) || !_engines.TryGetValue(to, out target))
            {
                return false;
            }
        }

        // A copy, as a real transport would hand over its own buffer.
        target.Receive(from, message.ToArray());
        return true;
    }

    private sealed class Endpoint(RaftTestNetwork network, Address self) : IConsensusNetwork
    {
        public bool Send(Address validator, ReadOnlyMemory<byte> message) => network.Deliver(self, validator, message);

        public int Broadcast(ReadOnlyMemory<byte> message)
        {
            Address[] targets;
            lock (network._lock)
            {
                targets = [.. network._engines.Keys];
            }

            int sent = 0;
            foreach (var target in targets)
            {
                if (target != self && network.Deliver(self, target, message))
                {
                    sent++;
                }
            }

            return sent;
        }
    }
}
