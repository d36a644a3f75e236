using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;
using Trellis.Node.Tests.JsonRpc;

namespace Trellis.Node.Tests.Rpc;

/// <summary>The eth service over an in-memory backend, served by Kestrel on 127.0.0.1 port 0.</summary>
internal sealed class RpcTestHost : IAsyncDisposable
{
    private RpcTestHost(InMemoryEthBackend backend, EthRpcService service, JsonRpcHost host)
    {
        Backend = backend;
        Service = service;
        Host = host;
        Client = new TestRpcClient(host.Address);
    }

    public InMemoryEthBackend Backend { get; }

    public EthRpcService Service { get; }

    public JsonRpcHost Host { get; }

    public TestRpcClient Client { get; }

    public static async Task<RpcTestHost> StartAsync(EthRpcOptions? options = null, JsonRpcOptions? rpcOptions = null, TimeProvider? time = null, InMemoryEthBackend? backend = null)
    {
        backend ??= ChainData.NewBackend();
        var service = new EthRpcService(backend, options, time);
        var registry = new JsonRpcMethodRegistry();
        service.Register(registry);
        service.Start();
        JsonRpcHost host = await JsonRpcHost.StartAsync(new JsonRpcServer(registry, rpcOptions), "http://127.0.0.1:0");
        return new RpcTestHost(backend, service, host);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Service.DisposeAsync();
    }
}
