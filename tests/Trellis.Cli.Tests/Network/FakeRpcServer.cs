using System.Net;
using System.Text;
using System.Text.Json;

namespace Trellis.Cli.Tests.Network;

/// <summary>A loopback HTTP server that answers each JSON-RPC request with whatever the test's function returns.</summary>
internal sealed class FakeRpcServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string> _answer;
    private readonly Task _loop;

    /// <param name="answer">Maps the request body to the response body.</param>
    public FakeRpcServer(Func<string, string> answer)
    {
        _answer = answer;
        Port = PortProbeTests.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public List<string> Methods { get; } = [];

    /// <summary>A JSON-RPC 2.0 success response with <paramref name="resultJson"/>.</summary>
    public static string Result(string resultJson) => $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{resultJson}}}";

    /// <summary>The "method not found" error response.</summary>
    public static string MethodNotFound => "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"the method does not exist\"}}";

    /// <summary>The method of a single request, or "batch" for an array.</summary>
    public static string MethodOf(string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Array ? "batch" : document.RootElement.GetProperty("method").GetString()!;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            lock (Methods)
            {
                Methods.Add(MethodOf(body));
            }

            byte[] response = Encoding.UTF8.GetBytes(_answer(body));
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = response.Length;
            await context.Response.OutputStream.WriteAsync(response);
            context.Response.Close();
        }
    }
}
