using System.Text.Json;

namespace Platform.Infrastructure.Feeds.Nivoda;

/// <summary>
/// The GraphQL documents we send, in the shape Nivoda's API takes (as used by Diamond Opus's
/// <c>packages/nivoda/src/queries.ts</c>): data calls run inside <c>as(token: …)</c>. The field list is kept to what
/// the catalog maps, so payloads stay small; the raw item is stored verbatim for later re-mapping.
/// </summary>
internal static class NivodaQueries
{
    public const string AuthenticateName = "Authenticate";
    public const string CountName = "GetDiamondsCount";
    public const string SearchName = "DiamondsByQuery";

    public static readonly JsonEncodedText Authenticate = JsonEncodedText.Encode("""
        query Authenticate($username: String!, $password: String!) {
          authenticate {
            username_and_password(username: $username, password: $password) {
              token
              expires
            }
          }
        }
        """);

    public static readonly JsonEncodedText Count = JsonEncodedText.Encode("""
        query GetDiamondsCount($token: String!, $query: DiamondQuery!) {
          as(token: $token) {
            diamonds_by_query_count(query: $query)
          }
        }
        """);

    public static readonly JsonEncodedText Search = JsonEncodedText.Encode("""
        query DiamondsByQuery($token: String!, $query: DiamondQuery!, $offset: Int, $limit: Int, $order: DiamondOrder) {
          as(token: $token) {
            diamonds_by_query(query: $query, offset: $offset, limit: $limit, order: $order) {
              items {
                id
                price
                diamond {
                  id
                  availability
                  HoldId
                  image
                  video
                  certificate {
                    lab
                    certNumber
                    shape
                    carats
                    color
                    clarity
                    cut
                    polish
                    symmetry
                    floInt
                    labgrown
                  }
                  supplier {
                    name
                  }
                }
              }
            }
          }
        }
        """);
}
