using GraphQL.DataLoader;

namespace Platform.Api.GraphQl.Batching;

/// <summary>
/// Collects the keys that resolvers ask for and loads them with one call. graphql-dotnet resolves every field of a level
/// first and awaits the <see cref="IDataLoaderResult{T}"/>s afterwards, so the first await sees every key of the level
/// and runs the batch; later awaits share it. (The GraphQL.DataLoader package is not in our package feed; this is the
/// part of it we need, ADR 0025.) One loader lives for one request (<see cref="GraphQlLoaders"/>), so results are
/// never shared between callers.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(
    Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch) where TKey : notnull
{
    private readonly Func<IReadOnlyList<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> _fetch = fetch;
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Batch> _batchOf = [];
    private Batch? _open;

    /// <summary>The value for <paramref name="key"/>, or default when the fetch found none.</summary>
    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_batchOf.TryGetValue(key, out var batch))
            {
                batch = _open ??= new Batch(this);
                batch.Keys.Add(key);
                _batchOf[key] = batch;
            }
            return new Result(batch, key);
        }
    }

    private sealed class Batch(BatchLoader<TKey, TValue> loader)
    {
        private Task<IReadOnlyDictionary<TKey, TValue>>? _task;

        public List<TKey> Keys { get; } = [];

        public Task<IReadOnlyDictionary<TKey, TValue>> RunAsync(CancellationToken cancellationToken)
        {
            lock (loader._gate)
            {
                if (_task is null)
                {
                    // Closed from now on: keys asked for later (a deeper level) start the next batch.
                    if (ReferenceEquals(loader._open, this))
                    {
                        loader._open = null;
                    }
                    _task = loader._fetch(Keys, cancellationToken);
                }
                return _task;
            }
        }
    }

    private sealed class Result(Batch batch, TKey key) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) =>
            (await batch.RunAsync(cancellationToken)).GetValueOrDefault(key);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

public static class DataLoaderResults
{
    /// <summary>Shapes a batched value once it is loaded (the loader package's <c>Then</c>).</summary>
    public static IDataLoaderResult<TOut> Then<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, TOut> map) => new Mapped<TIn, TOut>(result, map);

    private sealed class Mapped<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
