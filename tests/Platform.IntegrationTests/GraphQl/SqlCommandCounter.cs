using System.Collections.Concurrent;
using System.Diagnostics;

namespace Platform.IntegrationTests.GraphQl;

/// <summary>
/// Counts the SQL commands Npgsql runs against one database, from its "Npgsql" ActivitySource (one activity per command),
/// without touching the api. The role switch of a tenant connection is session set-up, not a statement of the query, and
/// is not counted. Tests run in parallel in this process, each on its own database, so activities are kept
/// only when their tags name the database.
/// </summary>
internal sealed class SqlCommandCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly string _database;

    public SqlCommandCounter(string database)
    {
        _database = database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The statements seen since the last <see cref="Reset"/>, as their SQL text (or the activity's name).</summary>
    public IReadOnlyList<string> Commands => [.. _commands];

    public void Reset() => _commands.Clear();

    private void Record(Activity activity)
    {
        var tags = activity.TagObjects.ToList();
        if (!tags.Any(tag => tag.Value is string value && value == _database))
        {
            return;
        }
        var text = tags.FirstOrDefault(tag => tag.Key is "db.query.text" or "db.statement").Value as string;
        if (text is null)
        {
            // Connection opening and other non-command spans are not statements.
            return;
        }
        if (text.StartsWith("SET ROLE", StringComparison.Ordinal) || text.StartsWith("RESET ROLE", StringComparison.Ordinal))
        {
            // A tenant connection's role switch and reset (TenantConnection, ADR 0029): once per connection, not per row.
            return;
        }
        _commands.Enqueue(text);
    }

    public void Dispose() => _listener.Dispose();
}
