using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Infrastructure.Operations.ErrorLog;

/// <summary>
/// The process's <see cref="IErrorLog"/>: a bounded channel filled by <see cref="Record"/> (never blocks) and drained by
/// this background service in batches of <see cref="ErrorLogOptions.BatchSize"/>, one INSERT each. Records that find the
/// buffer full, or whose batch cannot be written, are dropped: counted in <c>platform.error_log.dropped</c> and logged
/// once per flush, because error logging must never take down or slow the work that failed.
/// </summary>
public sealed partial class ErrorLogWriter : BackgroundService, IErrorLog
{
    public const string MeterName = "Platform.ErrorLog";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Written = Meter.CreateCounter<long>(
        "platform.error_log.written", "{error}", "Errors written to error_log.");
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "platform.error_log.dropped", "{error}", "Errors not written to error_log: buffer full or the write failed (reason).");

    private readonly Channel<ErrorRecord> _buffer;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ErrorLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ErrorLogWriter> _logger;
    private readonly ErrorTextRedactor _redact;
    private long _droppedSinceLastReport;

    public ErrorLogWriter(NpgsqlDataSource dataSource, IOptions<ErrorLogOptions> options, TimeProvider time, ILogger<ErrorLogWriter> logger,
        IHostEnvironment? environment = null, ErrorTextRedactor? redactor = null)
    {
        _redact = redactor ?? (text => text);
        _dataSource = dataSource;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Service = string.IsNullOrWhiteSpace(_options.Service) ? ServiceName(environment?.ApplicationName) : _options.Service;
        _buffer = Channel.CreateBounded<ErrorRecord>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse rather than wait or evict
            SingleReader = false, // the background loop and an explicit FlushAsync may read at once
        });
    }

    /// <summary>The <c>service</c> column of this process.</summary>
    public string Service { get; }

    public void Record(string category, string code, string message, Guid? orgId = null, IReadOnlyDictionary<string, object?>? context = null)
    {
        var record = new ErrorRecord(Cap(category, ErrorRecord.MaxCategoryLength), Cap(code, ErrorRecord.MaxCodeLength),
            Cap(_redact(message), ErrorRecord.MaxMessageLength), orgId, Activity.Current?.TraceId.ToString(), context, _time.GetUtcNow());
        if (!_buffer.Writer.TryWrite(record))
        {
            Dropped.Add(1, new KeyValuePair<string, object?>("reason", "buffer_full"));
            Interlocked.Increment(ref _droppedSinceLastReport);
        }
    }

    /// <summary>Writes everything buffered now (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<ErrorRecord>(_options.BatchSize);
        while (_buffer.Reader.TryRead(out var record))
        {
            batch.Add(record);
            if (batch.Count == _options.BatchSize)
            {
                await WriteAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
        await WriteAsync(batch, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ErrorRecord>(_options.BatchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                // Give a burst a moment to gather, so one failing page storm is a few INSERTs rather than hundreds.
                await Task.Delay(TimeSpan.FromMilliseconds(_options.FlushIntervalMilliseconds), _time, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last records are written below without the stopping token.
        }
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await FlushAsync(shutdown.Token);
    }

    private async Task WriteAsync(List<ErrorRecord> batch, CancellationToken cancellationToken)
    {
        ReportDrops();
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO error_log (service, category, code, message, context, trace_id, fingerprint, org_id, occurred_at)
                SELECT @service, c, k, m, x::jsonb, t, f, o, w
                FROM UNNEST(@categories::text[], @codes::text[], @messages::text[], @contexts::text[], @traces::text[],
                            @fingerprints::text[], @orgs::uuid[], @times::timestamptz[]) AS u(c, k, m, x, t, f, o, w)
                """,
                new
                {
                    service = Service,
                    categories = batch.Select(r => r.Category).ToArray(),
                    codes = batch.Select(r => r.Code).ToArray(),
                    messages = batch.Select(r => r.Message).ToArray(),
                    contexts = batch.Select(r => JsonSerializer.Serialize(r.Context ?? new Dictionary<string, object?>())).ToArray(),
                    traces = batch.Select(r => r.TraceId).ToArray(),
                    fingerprints = batch.Select(r => ErrorFingerprint.Of(Service, r.Category, r.Code, r.Message)).ToArray(),
                    orgs = batch.Select(r => r.OrgId).ToArray(),
                    times = batch.Select(r => r.OccurredAt.UtcDateTime).ToArray(),
                }, cancellationToken: cancellationToken));
            Written.Add(batch.Count);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or NotSupportedException or JsonException)
        {
            Dropped.Add(batch.Count, new KeyValuePair<string, object?>("reason", "write_failed"));
            LogWriteFailed(e, batch.Count);
        }
    }

    private void ReportDrops()
    {
        var dropped = Interlocked.Exchange(ref _droppedSinceLastReport, 0);
        if (dropped > 0)
        {
            LogBufferFull(dropped, _options.BufferCapacity);
        }
    }

    internal static string ServiceName(string? applicationName)
    {
        if (string.IsNullOrWhiteSpace(applicationName))
        {
            return "unknown";
        }
        var name = applicationName.StartsWith("Platform.", StringComparison.Ordinal) ? applicationName["Platform.".Length..] : applicationName;
        return name.ToLowerInvariant();
    }

    /// <summary>Capped, and without NUL characters (Postgres text refuses them).</summary>
    private static string Cap(string value, int length)
    {
        var clean = value.Replace('\0', ' ');
        return clean.Length <= length ? clean : clean[..length];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Error log buffer full ({Capacity}): {Dropped} error(s) were not recorded in error_log")]
    private partial void LogBufferFull(long dropped, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} error(s) to error_log failed; they are dropped (the logs keep them)")]
    private partial void LogWriteFailed(Exception exception, int count);
}
