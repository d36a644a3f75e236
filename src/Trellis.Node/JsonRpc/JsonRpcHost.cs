using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Trellis.Node.JsonRpc;

/// <summary>A Kestrel web application serving one <see cref="JsonRpcServer"/> on one address, HTTP and WebSocket.</summary>
public sealed class JsonRpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HealthState _health;

    private JsonRpcHost(WebApplication app, Uri address, HealthState health)
    {
        _app = app;
        Address = address;
        _health = health;
    }

    /// <summary>
    /// Asked on each <c>GET /health</c>: null means healthy (200 "ok"); otherwise the text is the problem, answered
    /// with 503. Null (the default) always answers 200 "ok".
    /// </summary>
    public Func<string?>? HealthProblem
    {
        get => _health.Problem;
        set => _health.Problem = value;
    }

    /// <summary>The bound HTTP address (with the real port when port 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>The same endpoint as a <c>ws://</c> address.</summary>
    public Uri WebSocketAddress => new UriBuilder(Address) { Scheme = Address.Scheme == "https" ? "wss" : "ws" }.Uri;

    /// <summary>
    /// Starts serving <paramref name="server"/> at <paramref name="url"/> (for example <c>http://127.0.0.1:8545</c>,
    /// or port 0 for any free port). <paramref name="configureLogging"/> adds log providers; none by default.
    /// </summary>
    public static async Task<JsonRpcHost> StartAsync(JsonRpcServer server, string url, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(url);
        // No configuration reload: its file watcher covers the working directory and everything below it (a node's
        // database and log), and woke up on every write (profiled: about 2% of a loaded node's CPU).
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The server enforces its own body limit with a JSON-RPC error body.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var health = new HealthState();
        app.MapGet("/health", health.Answer);
        app.MapTrellisJsonRpc(server);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? url;
        return new JsonRpcHost(app, new Uri(bound), health);
    }

    /// <summary>Stops the server and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The health check behind <c>GET /health</c>.</summary>
    private sealed class HealthState
    {
        public volatile Func<string?>? Problem;

        public IResult Answer()
        {
            string? problem = Problem?.Invoke();
            return problem is null
                ? Results.Text("ok", "text/plain")
                : Results.Text(problem, "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
