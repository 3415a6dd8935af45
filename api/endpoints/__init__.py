"""The API's endpoints, by what they list: articles (and their live updates), the people and the taxonomy,
pictures, corrections."""
