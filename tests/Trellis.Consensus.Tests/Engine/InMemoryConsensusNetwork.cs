using System.Collections.Concurrent;
using Trellis.Core;

namespace Trellis.Consensus.Tests.Engine;

/// <summary>
/// Validators wired to each other in memory: a message goes straight to the recipient's <c>Receive</c> (which only
/// decodes and queues). A node marked down neither sends nor receives. Optionally records every message sent.
/// </summary>
internal sealed class InMemoryConsensusNetwork
{
    private readonly ConcurrentDictionary<Address, INetworkedConsensusEngine> _engines = new();
    private readonly ConcurrentDictionary<Address, bool> _down = new();

    public long Delivered;

    public void Attach(Address address, INetworkedConsensusEngine engine) => _engines[address] = engine;

    public void SetDown(Address address, bool down) => _down[address] = down;

    public bool IsDown(Address address) => _down.TryGetValue(address, out bool down) && down;

    public IConsensusNetwork For(Address self) => new Endpoint(this, self);

    private bool Deliver(Address from, Address to, ReadOnlyMemory<byte> message)
    {
        if (from == to || IsDown(from) || IsDown(to) || !_engines.TryGetValue(to, out var engine))
        {
            return false;
        }

        Interlocked.Increment(ref Delivered);
        engine.Receive(from, message.ToArray());
        return true;
    }

    private sealed class Endpoint(InMemoryConsensusNetwork network, Address self) : IConsensusNetwork
    {
        public bool Send(Address validator, ReadOnlyMemory<byte> message) => network.Deliver(self, validator, message);

        public int Broadcast(ReadOnlyMemory<byte> message)
        {
            int sent = 0;
            foreach (var address in network._engines.Keys)
            {
                if (network.Deliver(self, address, message))
                {
                    sent++;
                }
            }

            return sent;
        }
    }
}
