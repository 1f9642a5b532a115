import sys

from torture.campaign import main

sys.exit(main())
