// Platform's topology for Aspire. ./run.sh starts the same one from local binaries, without Docker.
// Resource names are the configuration contract: ConnectionStrings__platformdb, ConnectionStrings__cache,
// services__feedsim__http__0.
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres")
    .WithDataVolume();
var db = postgres.AddDatabase("platformdb");

var cache = builder.AddRedis("cache");

var feedsim = builder.AddProject<Projects.Platform_FeedSimulator>("feedsim")
    .WithExternalHttpEndpoints();

// The api migrates the database before it listens, so its readiness probe is what the worker waits for.
var api = builder.AddProject<Projects.Platform_Api>("api")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health/ready")
    .WithReference(db)
    .WithReference(cache)
    .WithReference(feedsim)
    .WaitFor(db)
    .WaitFor(cache);

builder.AddProject<Projects.Platform_Worker>("worker")
    .WithHttpHealthCheck("/health/ready")
    .WithReference(db)
    .WithReference(cache)
    .WithReference(feedsim)
    .WithEnvironment("Worker__Roles", "all")
    .WaitFor(api);

builder.Build().Run();
