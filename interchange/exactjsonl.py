"""Django's JSON Lines fixtures, made to give back exactly what the database holds (the backup's format).

Django's own encoder cuts times to the millisecond, and its XML format, which keeps them, cannot hold every
string: XML parsers turn CR and CRLF into LF, the deserializer strips each value (a body's trailing newline),
and control characters such as a vertical tab cannot be written at all. JSON holds any string; here times keep
their microseconds and every character outside ASCII is escaped, so no line separator (U+2028, U+0085) ever
appears raw inside a line, whoever splits the file into lines.
"""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs.update(cls=ExactEncoder, ensure_ascii=True)


Deserializer = jsonl.Deserializer
